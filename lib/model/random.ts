/**
 * A small seeded PRNG (mulberry32) whose whole state is one integer, so a
 * checkpoint can save it and a resumed run draws the same dropout masks.
 */
const STEP = 0x6d2b79f5;

/** mulberry32's output for one state: uniform in [0, 1). */
function mix(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * Draws k0 … k0 + n − 1 of a generator at `state` (what its next() calls
 * k0 + 1 … k0 + n return) as a dropout mask: out[o + i] = 0 where the draw is
 * below p, else `keep`. mulberry32's state only counts, so any draw can be had
 * without the ones before: each training worker draws its own rows of a mask,
 * the values one worker would. The draw is compared as the integer it is
 * (u/2³² < p ⟺ u < p·2³², exactly).
 */
export function runDraws(state: number, k0: number, n: number, p: number, keep: number, out: Float32Array, o: number): void {
  const below = p * 4294967296;
  let st = (state + Math.imul(STEP, k0 >>> 0)) >>> 0;
  for (let i = 0; i < n; i++) {
    st = (st + STEP) >>> 0;
    let t = Math.imul(st ^ (st >>> 15), st | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[o + i] = (t ^ (t >>> 14)) >>> 0 < below ? 0 : keep;
  }
}

export class Random {
  constructor(public state: number) {
    this.state = state >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return mix((this.state = (this.state + STEP) >>> 0));
  }

  /** Skips n draws: the state after them, as if next() had been called n times. */
  skip(n: number): void {
    this.state = (this.state + Math.imul(STEP, n >>> 0)) >>> 0;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /**
   * Standard normal, by Box–Muller from two uniform draws (the second
   * normal of the pair is dropped, so the whole state stays one integer).
   */
  normal(): number {
    const u1 = 1 - this.next(); // (0, 1]: log(u1) is finite
    const u2 = this.next();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
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
