/**
 * Corpus BLEU-4 (Papineni et al. 2002), as the captioning papers report it:
 *
 *   BLEU = BP · exp(¼ Σₙ₌₁..₄ log pₙ)
 *   pₙ   = Σ_candidates Σ_ngrams min(count, max count in any reference) / Σ_candidates #ngrams
 *   BP   = 1 if c > r, else exp(1 − r/c)
 *
 * c: the candidates' total length; r: the sum over candidates of the reference
 * length closest to the candidate's (the shorter on a tie). No smoothing: a
 * corpus with no matching 4-gram scores 0. As in NLTK's corpus_bleu (which the
 * test checks against), a candidate shorter than n adds one unmatched n-gram
 * to pₙ's denominator: "a red circle" counts against the 4-gram precision.
 */

function ngrams(tokens: readonly string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join("\u0000");
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

/** Corpus BLEU-4 of tokenized candidates, each against its references; in [0, 1]. */
export function corpusBleu(candidates: readonly (readonly string[])[], references: readonly (readonly (readonly string[])[])[]): number {
  if (candidates.length !== references.length) throw new Error(`BLEU: ${candidates.length} candidates but ${references.length} reference sets`);
  const matched = [0, 0, 0, 0], total = [0, 0, 0, 0];
  let c = 0, r = 0;
  candidates.forEach((cand, k) => {
    const refs = references[k];
    if (refs.length === 0) throw new Error(`BLEU: candidate ${k} has no reference`);
    c += cand.length;
    r += refs.map((x) => x.length).reduce((best, len) => (Math.abs(len - cand.length) < Math.abs(best - cand.length) || (Math.abs(len - cand.length) === Math.abs(best - cand.length) && len < best) ? len : best));
    for (let n = 1; n <= 4; n++) {
      const counts = ngrams(cand, n);
      const maxRef = new Map<string, number>();
      for (const ref of refs) for (const [g, x] of ngrams(ref, n)) maxRef.set(g, Math.max(maxRef.get(g) ?? 0, x));
      for (const [g, x] of counts) matched[n - 1] += Math.min(x, maxRef.get(g) ?? 0);
      // As NLTK counts it: a caption shorter than n still counts one n-gram (none matched).
      total[n - 1] += Math.max(1, cand.length - n + 1);
    }
  });
  if (matched.some((m) => m === 0)) return 0;
  const logP = matched.reduce((s, m, i) => s + Math.log(m / total[i]), 0) / 4;
  const bp = c > r ? 1 : Math.exp(1 - r / c);
  return bp * Math.exp(logP);
}
