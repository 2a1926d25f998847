/**
 * The vocabulary: every distinct character of the whole corpus, sorted by code
 * point, stored with the model. Characters are whole code points, so a corpus
 * with characters outside the BMP still maps one symbol to one index.
 */
export type Vocab = readonly string[];

export function buildVocab(text: string | readonly string[]): Vocab {
  const chars = typeof text === "string" ? Array.from(text) : text;
  // Characters of one UTF-16 code unit (nearly all) marked in a table, the rest in a Set: 3.2M
  // Set insertions cost a corpus load 60 ms here.
  const seen = new Uint8Array(65536);
  const other = new Set<string>();
  for (const ch of chars) {
    if (ch.length === 1) seen[ch.charCodeAt(0)] = 1;
    else other.add(ch);
  }
  const vocab = [...other];
  seen.forEach((s, code) => s && vocab.push(String.fromCharCode(code)));
  return vocab.sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
}

/** Text → indices. Throws naming the first character the vocabulary lacks. */
export function encode(text: string, vocab: Vocab): Int32Array {
  return encodeChars(Array.from(text), vocab);
}

/** Characters (whole code points) → indices, as encode(). */
export function encodeChars(chars: readonly string[], vocab: Vocab): Int32Array {
  const index = new Map(vocab.map((ch, i) => [ch, i]));
  // A table by UTF-16 code for the characters of one code unit (nearly all): a Map lookup per
  // character was half of loading a corpus (130 ms for War and Peace's 3.2M here).
  const byCode = new Int32Array(65536).fill(-1);
  vocab.forEach((ch, i) => ch.length === 1 && (byCode[ch.charCodeAt(0)] = i));
  const out = new Int32Array(chars.length);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const id = ch.length === 1 && byCode[ch.charCodeAt(0)] >= 0 ? byCode[ch.charCodeAt(0)] : index.get(ch);
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
