/**
 * Character n-gram models of a training text, scored on another text: the
 * yardstick of the error analysis (lib/cells/analyze-errors.ts), as the 2015
 * paper's section 4 uses n-grams up to n = 20.
 *
 * The model of order n reads the k = n − 1 characters x before each character
 * c, smoothed by interpolated absolute discounting (Ney, Essen and Kneser
 * 1994): counts from the training text, N(x·c) of x followed by c,
 * N(x) = Σ_c N(x·c), T(x) the number of distinct characters seen after x, a
 * discount D, and the model one order down (x′: x without its first character):
 *
 *   P₀(c) = (N(c) + T(∅)/V) / (N + T(∅))                 (unigrams, Witten–Bell onto uniform)
 *   P_k(c | x) = (max(N(x·c) − D, 0) + D·T(x)·P_{k−1}(c | x′)) / N(x)
 *
 * which sums to 1 over c. A context never seen (N(x) = 0) leaves the lower
 * order's probability as is. D = 0.9 was the best of 0.5, 0.75 and 0.9 on War
 * and Peace's validation split at n ≥ 8 and as good at the best n (6: 1.298
 * nats/char). Past n ≈ 6 the loss rises again (20: 1.59): what the paper's
 * 20-gram (1.195 on its split) reaches takes Kneser–Ney's continuation counts.
 *
 * Counting every m-gram (m ≤ 20) of millions of training characters would
 * hold tens of millions of keys, so only those that occur in the scored text
 * are kept: every substring of one occurs there too, so at each training
 * position the contexts to update are the chain of kept m-grams ending just
 * before it. A kept context's followers that are not kept themselves are
 * told apart in a second table, for T.
 *
 * m-grams are keyed by two 32-bit hash lanes (collisions among a few million
 * keys have odds of about 10⁻⁶), rolled over the text: the lanes of the m-gram
 * ending at i mix those of the (m − 1)-gram ending at i − 1 with the character
 * at i. Tables are open-addressed typed arrays: a Map of millions of number
 * keys was ten times slower.
 */

export interface NgramScores {
  /** Highest order n. */
  maxN: number;
  /** probs[n − 1][i]: the order-n model's probability of scored character i, n = 1 … maxN. */
  probs: Float64Array[];
}

const mixA = (h: number, c: number) => {
  let x = Math.imul(h ^ (c + 0x9e3779b9), 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
};
const mixB = (h: number, c: number) => {
  let x = Math.imul(h + Math.imul(c, 0x27d4eb2f) + 0x165667b1, 0xcc9e2d51);
  x = (x << 15) | (x >>> 17);
  x = Math.imul(x, 0x1b873593);
  return (x ^ (x >>> 15)) >>> 0;
};

/** Lets the event loop run every 65,536 training characters: a server counting n-grams (seconds) keeps answering. */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The discount D (see above). */
export const NGRAM_DISCOUNT = 0.9;

/** An open-addressed set of m-grams (by their two lanes), each with a slot number. */
class GramTable {
  private a: Uint32Array;
  private b: Uint32Array;
  private used: Uint8Array;
  private mask: number;
  size = 0;
  constructor(capacity: number) {
    let n = 1024;
    while (n < capacity * 2) n *= 2;
    this.a = new Uint32Array(n);
    this.b = new Uint32Array(n);
    this.used = new Uint8Array(n);
    this.mask = n - 1;
  }
  get slots(): number {
    return this.mask + 1;
  }
  /** Doubles the table (slots change: only for a table whose slots nobody keeps). */
  grow(): void {
    const { a, b, used } = this;
    this.a = new Uint32Array(a.length * 2);
    this.b = new Uint32Array(a.length * 2);
    this.used = new Uint8Array(a.length * 2);
    this.mask = a.length * 2 - 1;
    this.size = 0;
    for (let s = 0; s < used.length; s++) if (used[s]) this.find(a[s], b[s], true);
  }
  /** The m-gram's slot, or −1 when absent and not `insert`ed. */
  find(a: number, b: number, insert: boolean): number {
    let s = (a ^ Math.imul(b, 0x9e3779b1)) & this.mask;
    for (;;) {
      if (!this.used[s]) {
        if (!insert) return -1;
        if (this.size * 2 >= this.mask) throw new Error("n-gram table full");
        this.used[s] = 1;
        this.a[s] = a;
        this.b[s] = b;
        this.size++;
        return s;
      }
      if (this.a[s] === a && this.b[s] === b) return s;
      s = (s + 1) & this.mask;
    }
  }
}

/**
 * Scores text[from, to) (the characters before `from` serve as context) under
 * the order-1 … maxN models counted on `train`, over V characters.
 */
export async function scoreNgrams(train: ArrayLike<number>, text: ArrayLike<number>, from: number, to: number, V: number, maxN = 20): Promise<NgramScores> {
  const W = maxN + 1;
  const lead = Math.max(0, from - maxN);
  const spanLen = to - lead;
  // The scored text's m-grams (m = 1 … maxN): slot of the m-gram ending at span position j.
  const kept = new GramTable(spanLen * maxN);
  const slotAt = new Int32Array(spanLen * W).fill(-1);
  let A = new Uint32Array(W), B = new Uint32Array(W), pA = new Uint32Array(W), pB = new Uint32Array(W);
  for (let j = 0; j < spanLen; j++) {
    const c = text[lead + j];
    [A, pA] = [pA, A];
    [B, pB] = [pB, B];
    for (let m = 1; m <= Math.min(maxN, j + 1); m++) {
      A[m] = mixA(pA[m - 1], c);
      B[m] = mixB(pB[m - 1], c);
      slotAt[j * W + m] = kept.find(A[m], B[m], true);
    }
  }
  const gramN = new Int32Array(kept.slots); // N(x·c), by the slot of x·c
  const ctxN = new Int32Array(kept.slots); // N(x), by the slot of x
  const types = new Int32Array(kept.slots); // T(x)
  const others = new GramTable(1 << 20); // followers of kept contexts that are not kept (grows)
  let emptyTypes = 0;
  // Slots of the kept m-grams ending at the previous position, m = 1 … prevLen (the contexts of this one).
  let chain = new Int32Array(W), prevChain = new Int32Array(W);
  let prevLen = 0;
  A.fill(0), B.fill(0), pA.fill(0), pB.fill(0);
  for (let i = 0; i < train.length; i++) {
    if ((i & 0xffff) === 0xffff) await yieldToOthers();
    const c = train[i];
    [A, pA] = [pA, A];
    [B, pB] = [pB, B];
    [chain, prevChain] = [prevChain, chain];
    let len = 0;
    for (let m = 1; m <= Math.min(maxN, i + 1); m++) {
      A[m] = mixA(pA[m - 1], c);
      B[m] = mixB(pB[m - 1], c);
    }
    // Context x of length k (kept, ending at i − 1), then x·c of length k + 1 ending at i.
    for (let k = 0; k <= Math.min(prevLen, maxN - 1); k++) {
      const x = k === 0 ? -1 : prevChain[k];
      if (x >= 0) ctxN[x]++;
      const g = len === k ? kept.find(A[k + 1], B[k + 1], false) : -1;
      let fresh: boolean;
      if (g >= 0) {
        fresh = gramN[g]++ === 0;
        chain[k + 1] = g;
        len = k + 1;
      } else {
        const before = others.size;
        if (others.size * 2 >= others.slots - 2) others.grow();
        others.find(A[k + 1], B[k + 1], true);
        fresh = others.size > before;
      }
      if (fresh) {
        if (x >= 0) types[x]++;
        else emptyTypes++;
      }
    }
    prevLen = len;
  }
  const probs = Array.from({ length: maxN }, () => new Float64Array(to - from));
  const N = train.length;
  for (let i = from; i < to; i++) {
    const j = i - lead;
    const g0 = slotAt[j * W + 1];
    let p = (gramN[g0] + emptyTypes / V) / (N + emptyTypes);
    probs[0][i - from] = p;
    for (let k = 1; k < maxN; k++) {
      const x = k <= j ? slotAt[(j - 1) * W + k] : -1;
      const n = x >= 0 ? ctxN[x] : 0;
      if (n > 0) p = (Math.max(gramN[slotAt[j * W + k + 1]] - NGRAM_DISCOUNT, 0) + NGRAM_DISCOUNT * types[x] * p) / n;
      probs[k][i - from] = p;
    }
  }
  return { maxN, probs };
}
