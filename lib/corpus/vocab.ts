/**
 * The vocabulary: every distinct character of the whole corpus, sorted by code
 * point, stored with the model. Characters are whole code points, so a corpus
 * with characters outside the BMP still maps one symbol to one index.
 */
export type Vocab = readonly string[];

export function buildVocab(text: string): Vocab {
  return [...new Set(Array.from(text))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
}

/** Text → indices. Throws naming the first character the vocabulary lacks. */
export function encode(text: string, vocab: Vocab): Int32Array {
  return encodeChars(Array.from(text), vocab);
}

/** Characters (whole code points) → indices, as encode(). */
export function encodeChars(chars: readonly string[], vocab: Vocab): Int32Array {
  const index = new Map(vocab.map((ch, i) => [ch, i]));
  const out = new Int32Array(chars.length);
  for (let i = 0; i < chars.length; i++) {
    const id = index.get(chars[i]);
    if (id === undefined) throw new Error(`character ${JSON.stringify(chars[i])} at ${i} is not in the model's vocabulary`);
    out[i] = id;
  }
  return out;
}

export function decode(ids: ArrayLike<number>, vocab: Vocab): string {
  let s = "";
  for (let i = 0; i < ids.length; i++) s += vocab[ids[i]];
  return s;
}

export function sameVocab(a: Vocab, b: Vocab): boolean {
  return a.length === b.length && a.every((ch, i) => ch === b[i]);
}
