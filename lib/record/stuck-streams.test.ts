import { describe, expect, it } from "vitest";
import { findStuckStreams, meanNats } from "./stuck-streams.ts";
import { Random } from "../model/random.ts";

/** Per-character losses for `streams` streams of `len` characters, each around its own mean. */
function losses(means: number[], len: number, rng = new Random(3)): Float32Array {
  const out = new Float32Array(means.length * len);
  means.forEach((m, s) => {
    for (let j = 0; j < len; j++) out[s * len + j] = Math.max(0, m + rng.uniform(-1, 1));
  });
  return out;
}

describe("stuck streams", () => {
  it("finds the one stream whose loss is several times the others', with where it is", () => {
    const means = [1.6, 1.7, 1.5, 1.8, 7.4, 1.6, 1.9];
    const stuck = findStuckStreams(losses(means, 500), 500);
    expect(stuck).toHaveLength(1);
    expect(stuck[0]).toMatchObject({ start: 2000, end: 2500 });
    expect(stuck[0].nats).toBeCloseTo(7.4, 1);
    expect(stuck[0].median).toBeCloseTo(1.7, 1);
  });

  it("leaves alone what hard text does to a stream (the shipped recordings' worst: 1.32× the median)", () => {
    expect(findStuckStreams(losses([1.1, 1.2, 1.5, 1.1, 1.0, 1.2], 400), 400)).toEqual([]);
    // Twice the median but only 0.6 nats above it: a low-loss model on a hard stretch, not a stuck one.
    const flat = (means: number[]) => Float32Array.from({ length: means.length * 400 }, (_, i) => means[Math.floor(i / 400)]);
    expect(findStuckStreams(flat([0.6, 0.6, 1.3, 0.6, 0.6]), 400)).toEqual([]);
    // Over 1 nat above but not twice the median: a high-loss model on a hard stretch.
    expect(findStuckStreams(flat([2.5, 2.6, 3.9, 2.5, 2.4]), 400)).toEqual([]);
    expect(findStuckStreams(flat([2.5, 2.6, 5.3, 2.5, 2.4]), 400)).toHaveLength(1);
  });

  it("handles a short last stream, unknown losses and too few streams to compare", () => {
    const nll = losses([1.5, 1.5, 1.5, 6], 100);
    const cut = nll.subarray(0, 350); // the last stream has 50 characters
    cut[10] = NaN;
    expect(findStuckStreams(cut, 100).map((s) => [s.start, s.end])).toEqual([[300, 350]]);
    expect(findStuckStreams(losses([1.5, 9], 100), 100)).toEqual([]);
    expect(meanNats([1, NaN, 3])).toBe(2);
    expect(meanNats([NaN])).toBeNaN();
  });
});
