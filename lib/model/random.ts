/**
 * A small seeded PRNG (mulberry32) whose whole state is one integer, so a
 * checkpoint can save it and a resumed run draws the same dropout masks.
 */
export class Random {
  constructor(public state: number) {
    this.state = state >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /**
   * Standard normal, by Box–Muller from two uniforms (one value per pair: the
   * state stays one integer). 1 − next() is in (0, 1], so the log is finite.
   */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Index drawn from a discrete distribution (probabilities need not be normalized). */
  choice(probs: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < probs.length; i++) total += probs[i];
    let u = this.next() * total;
    for (let i = 0; i < probs.length; i++) {
      u -= probs[i];
      if (u < 0) return i;
    }
    return probs.length - 1;
  }
}
