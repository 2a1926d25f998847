/**
 * Where a model goes wrong, as the 2015 paper's section 4 breaks it down
 * (GET /api/models/[model]/errors, `cellscope errors`, the model and corpus
 * pages). Over its recording, a character is an error when the model gave it
 * a probability under 0.5. Each error goes to the first of these that holds:
 *
 *   n-gram      the n-gram oracle errs too: the best of the 1- … 20-gram models
 *               of the training split (lib/corpus/ngram.ts), chosen for each
 *               character with hindsight, gives it under 0.5 as well
 *   memory      it ends a string of MEMORY_CHARS characters that occurred in
 *               the MEMORY_WINDOW characters before ("dynamic memory")
 *   rare word   it is inside a word seen fewer than RARE_WORD times in training
 *   word start  right after a space (the first character of a word)
 *   newline     right after a newline
 *   punctuation right after a punctuation mark
 *   the rest
 *
 * (the paper's order, its last three by the character before).
 *
 * and the test loss splits into the loss on the characters it got right plus
 * each category's share (sum of its characters' loss ÷ all characters).
 */
import { createHash } from "node:crypto";
import { prisma } from "../db.ts";
import { loadCorpusFor, splitRange } from "../corpus/corpus.ts";
import { scoreNgrams } from "../corpus/ngram.ts";
import { encodeChars } from "../corpus/vocab.ts";
import { initBackend } from "../model/backend.ts";
import { getModelContext, recordingText, getCharModel } from "./model-context.ts";
import { openBulk, readChars } from "../store/activations.ts";
import { sharedMap } from "../store/shared-map.ts";

export const ERROR_THRESHOLD = 0.5;
export const NGRAM_MAX_N = 20;
export const MEMORY_CHARS = 6;
export const MEMORY_WINDOW = 500;
export const RARE_WORD = 5;

export const ERROR_CATEGORIES = [
  { key: "ngram", label: "n-gram errs too", about: `the best of the 1- to ${NGRAM_MAX_N}-gram models, picked for each character with hindsight, also gives it under ${ERROR_THRESHOLD}` },
  { key: "memory", label: "dynamic memory", about: `it ends a string of ${MEMORY_CHARS} characters seen in the ${MEMORY_WINDOW} before` },
  { key: "rare", label: "rare word", about: `inside a word seen fewer than ${RARE_WORD} times in training` },
  { key: "word", label: "after a space", about: "the first character of a word" },
  { key: "newline", label: "after a newline", about: "the first character of a line" },
  { key: "punct", label: "after punctuation", about: "the character after a punctuation mark" },
  { key: "rest", label: "the rest", about: "none of the above" },
] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number]["key"];

/** What the paper measured on its own split of the same corpus (nats/char): its best LSTM and its 20-gram. */
export const PAPER_NUMBERS: Record<string, { model: number; ngram: number }> = {
  warpeace: { model: 1.077, ngram: 1.195 },
  linux: { model: 0.84, ngram: 0.889 },
};

export interface ErrorAnalysis {
  model: string;
  corpus: string;
  /** Characters scored (the recording's, less its first, which has no prediction). */
  chars: number;
  /** The model's mean loss on them (nats/char). */
  nats: number;
  /** Those it got right (p ≥ ERROR_THRESHOLD): how many, and their share of the mean loss. */
  right: { chars: number; nats: number };
  /** Each error category: how many, their share of the mean loss, and the offsets of the worst (highest loss, apart). */
  categories: { key: ErrorCategory; label: string; about: string; chars: number; nats: number; worst: number[] }[];
  /** The n-gram models on the same characters: loss for n = 1 … 20, the best n, and the oracle's loss. */
  ngram: { nats: number[]; bestN: number; bestNats: number; oracleNats: number };
  paper: { model: number; ngram: number } | null;
  /** A unit to read the text through at the worst offsets (its strongest detector), or null. */
  viewUnit: string | null;
  tookMs: number;
}

const analyses = sharedMap<string, Promise<Omit<ErrorAnalysis, "tookMs">>>("error-analyses");
/** n-gram scores per corpus and scored text: every model of a corpus is recorded on the same text. */
const ngrams = sharedMap<string, Promise<{ probs: Float64Array[] }>>("ngram-scores");

export async function analyzeErrors(modelId: string): Promise<ErrorAnalysis> {
  const t0 = performance.now();
  const ctx = await getModelContext(modelId);
  const key = JSON.stringify([ctx.rec.id, ctx.rec.createdAt]);
  let p = analyses.get(key);
  if (!p) {
    p = analyze(modelId);
    analyses.set(key, p);
    p.catch(() => analyses.delete(key));
    while (analyses.size > 16) analyses.delete(analyses.keys().next().value!);
  }
  return { ...(await p), tookMs: Math.round(performance.now() - t0) };
}

async function analyze(modelId: string): Promise<Omit<ErrorAnalysis, "tookMs">> {
  const ctx = await getModelContext(modelId);
  await initBackend();
  const meta = getCharModel(ctx).meta;
  const t = await recordingText(ctx.rec.id);
  const context = Array.from(t.context);
  const chars = t.chars;
  const n = chars.length;
  // nll[p] is the loss of predicting character p + 1.
  const nll = readChars(openBulk(), ctx.rec.id, ctx.rec.chunkChars, 0, n - 1).nll;
  const corpus = loadCorpusFor(meta);
  const train = corpus.ids.subarray(0, splitRange(corpus.ids.length, "train").end);
  const all = encodeChars([...context, ...chars], meta.vocab);
  const lead = context.length;

  const textKey = `${corpus.name}:${createHash("sha1").update(t.context + t.text).digest("hex")}:${meta.vocab.join("")}`;
  let ng = ngrams.get(textKey);
  if (!ng) {
    ng = scoreNgrams(train, all, lead + 1, lead + n, meta.vocab.length, NGRAM_MAX_N);
    ngrams.set(textKey, ng);
    ng.catch(() => ngrams.delete(textKey));
    while (ngrams.size > 4) ngrams.delete(ngrams.keys().next().value!);
  }
  const { probs } = await ng;

  // Word counts of the training text (lower case), for rare words.
  const words = new Map<string, number>();
  const trainText = Array.from(train, (id) => meta.vocab[id]).join("");
  let seen = 0;
  for (const m of trainText.toLowerCase().matchAll(/\p{L}+/gu)) {
    words.set(m[0], (words.get(m[0]) ?? 0) + 1);
    // A server keeps answering meanwhile (half a million words in War and Peace).
    if (++seen % 20_000 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  // The text as one UTF-16 unit per character (ids < 256), so string search indexes characters.
  let flat = "";
  for (let a = 0; a < all.length; a += 8192) flat += String.fromCharCode(...Array.from(all.subarray(a, a + 8192), (id) => id + 256));
  const isLetter = (c: string | undefined) => c !== undefined && /\p{L}/u.test(c);
  const full = [...context, ...chars];
  const wordAt = (q: number): string => {
    let a = q, b = q;
    while (a > 0 && isLetter(full[a - 1])) a--;
    while (b + 1 < full.length && isLetter(full[b + 1])) b++;
    return full.slice(a, b + 1).join("").toLowerCase();
  };

  const sums = new Map<ErrorCategory, { chars: number; nats: number; worst: { q: number; nats: number }[] }>(ERROR_CATEGORIES.map((c) => [c.key, { chars: 0, nats: 0, worst: [] }]));
  let right = 0, rightNats = 0, total = 0, oracle = 0;
  const ngramNats = new Float64Array(NGRAM_MAX_N);
  let scored = 0;
  for (let q = 1; q < n; q++) {
    const loss = nll[q - 1];
    if (!Number.isFinite(loss)) continue;
    scored++;
    total += loss;
    let best = 0;
    for (let k = 0; k < NGRAM_MAX_N; k++) {
      const pk = probs[k][q - 1];
      ngramNats[k] -= Math.log(pk);
      if (pk > best) best = pk;
    }
    oracle -= Math.log(best);
    if (Math.exp(-loss) >= ERROR_THRESHOLD) {
      right++;
      rightNats += loss;
      continue;
    }
    const i = lead + q; // in `full`
    const c = full[i];
    const key: ErrorCategory =
      best < ERROR_THRESHOLD ? "ngram"
      : i >= MEMORY_CHARS && (() => { const at = flat.lastIndexOf(flat.slice(i - MEMORY_CHARS + 1, i + 1), i - MEMORY_CHARS); return at >= 0 && at >= i - MEMORY_WINDOW - MEMORY_CHARS; })() ? "memory"
      : isLetter(c) && (words.get(wordAt(i)) ?? 0) < RARE_WORD ? "rare"
      : full[i - 1] === " " ? "word"
      : full[i - 1] === "\n" ? "newline"
      : /\p{P}/u.test(full[i - 1]) ? "punct"
      : "rest";
    const s = sums.get(key)!;
    s.chars++;
    s.nats += loss;
    s.worst.push({ q, nats: loss });
  }
  /** The worst offsets of a category, at least 200 characters apart. */
  const worstOf = (xs: { q: number; nats: number }[]) => {
    const out: number[] = [];
    for (const x of xs.sort((a, b) => b.nats - a.nats)) {
      if (out.every((o) => Math.abs(o - x.q) >= 200)) out.push(x.q);
      if (out.length === 3) break;
    }
    return out;
  };
  const per = (x: number) => +(x / scored).toFixed(5);
  const nats = Array.from(ngramNats, per);
  const bestN = nats.indexOf(Math.min(...nats)) + 1;
  return {
    model: modelId,
    corpus: corpus.name,
    chars: scored,
    nats: per(total),
    right: { chars: right, nats: per(rightNats) },
    categories: ERROR_CATEGORIES.map((c) => {
      const s = sums.get(c.key)!;
      return { key: c.key, label: c.label, about: c.about, chars: s.chars, nats: per(s.nats), worst: worstOf(s.worst) };
    }),
    ngram: { nats, bestN, bestNats: nats[bestN - 1], oracleNats: per(oracle) },
    paper: PAPER_NUMBERS[corpus.name] ?? null,
    viewUnit: (await prisma.detector.findMany({ where: { modelId }, select: { unit: true, r: true } })).sort((a, b) => Math.abs(b.r) - Math.abs(a.r))[0]?.unit ?? null,
  };
}
