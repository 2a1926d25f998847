/**
 * The n-gram models against a plain implementation written here (every
 * substring counted in a Map of strings, the smoothing as its formula reads):
 * the same probabilities at every order, each order's distribution sums to 1,
 * and longer contexts predict a repetitive text better.
 */
import { describe, expect, it } from "vitest";
import { NGRAM_DISCOUNT as D, scoreNgrams } from "./ngram.ts";

/** A text with structure: words from a small lexicon, random spaces and newlines. */
function makeText(n: number, seed: number): string {
  let x = seed;
  const rng = { next: () => (x = (x * 16807) % 2147483647) / 2147483647 };
  const words = ["the", "cat", "sat", "on", "a", "mat", "then", "thought", "that", "hat"];
  let s = "";
  while (s.length < n) s += words[Math.floor(rng.next() * words.length)] + (rng.next() < 0.1 ? "\n" : " ");
  return s.slice(0, n);
}

/** Interpolated absolute discounting as its formula reads, from a Map of every substring's count. */
function reference(train: string, text: string, from: number, to: number, vocab: string[], maxN: number): number[][] {
  const count = new Map<string, number>();
  const followers = new Map<string, Set<string>>();
  for (let i = 0; i < train.length; i++) {
    for (let m = 1; m <= maxN && i + m <= train.length; m++) {
      const g = train.slice(i, i + m);
      count.set(g, (count.get(g) ?? 0) + 1);
      const x = g.slice(0, -1);
      if (!followers.has(x)) followers.set(x, new Set());
      followers.get(x)!.add(g.at(-1)!);
    }
  }
  // N(x): occurrences of x followed by a character; T(x): distinct characters after x.
  const N = (x: string) => (x === "" ? train.length : (count.get(x) ?? 0) - (train.endsWith(x) ? 1 : 0));
  const T = (x: string) => followers.get(x)?.size ?? 0;
  const out = Array.from({ length: maxN }, () => [] as number[]);
  for (let i = from; i < to; i++) {
    let p = ((count.get(text[i]) ?? 0) + T("") / vocab.length) / (train.length + T(""));
    out[0].push(p);
    for (let k = 1; k < maxN; k++) {
      const x = text.slice(i - k, i);
      if (k <= i && N(x) > 0) p = (Math.max((count.get(x + text[i]) ?? 0) - D, 0) + D * T(x) * p) / N(x);
      out[k].push(p);
    }
  }
  return out;
}

describe("character n-gram models", () => {
  const vocab = [" ", "\n", ..."abcdefghijklmnopqrstuvwxyz"];
  const ids = (s: string) => Int32Array.from(s, (c) => vocab.indexOf(c));
  const train = makeText(6000, 1);
  const text = makeText(900, 2);
  const [from, to, maxN] = [100, 900, 8];

  it("gives the probabilities of a plain count of every substring, at every order", async () => {
    const got = await scoreNgrams(ids(train), ids(text), from, to, vocab.length, maxN);
    const want = reference(train, text, from, to, vocab, maxN);
    for (let k = 0; k < maxN; k++) for (let i = 0; i < to - from; i++) expect(got.probs[k][i]).toBeCloseTo(want[k][i], 12);
  });

  it("sums to 1 over the vocabulary in any context, at any order", async () => {
    // Every character after the same context: score a text of the context followed by each character in turn.
    for (const ctx of ["the c", "tho", "zzz", "mat\nth"]) {
      const sums = new Float64Array(maxN);
      for (const c of vocab) {
        const s = await scoreNgrams(ids(train), ids(ctx + c), ctx.length, ctx.length + 1, vocab.length, maxN);
        for (let k = 0; k < maxN; k++) sums[k] += s.probs[k][0];
      }
      for (let k = 0; k < maxN; k++) expect(sums[k]).toBeCloseTo(1, 12);
    }
  });

  it("predicts a repetitive text better with longer contexts", async () => {
    const s = await scoreNgrams(ids(train), ids(text), from, to, vocab.length, maxN);
    const nats = s.probs.map((p) => -p.reduce((a, x) => a + Math.log(x), 0) / p.length);
    expect(nats[3]).toBeLessThan(nats[0] - 0.5);
    expect(nats[5]).toBeLessThan(nats[1]);
  });
});
