import { describe, expect, it } from "vitest";
import { UnitMatrix } from "./unit-matrix.ts";
import { Random } from "../model/random.ts";

describe("UnitMatrix SIMD dot kernel", () => {
  it("computes Σ q·y for every unit like a float64 loop, for odd lengths and long rows", () => {
    const rng = new Random(4);
    for (const chars of [1, 17, 1023, 5000, 70001]) {
      const m = new UnitMatrix(chars, 5);
      const rows = Array.from({ length: 5 }, (_, k) => {
        const r = m.row(k);
        for (let i = 0; i < chars; i++) r[i] = k === 0 ? 255 : Math.floor(rng.next() * 256);
        return r;
      });
      for (const y of [Float32Array.from({ length: chars }, (_, i) => i % 97), Float32Array.from({ length: chars }, () => (rng.next() < 0.3 ? 1 : 0)), Float32Array.from({ length: chars }, () => rng.uniform(-3, 3))]) {
        const { dots, sy } = m.dotAll(y);
        let ySum = 0;
        for (const v of y) ySum += v;
        expect(Math.abs(sy - ySum)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(ySum)) + chars / 32767);
        rows.forEach((q, k) => {
          let want = 0;
          for (let i = 0; i < chars; i++) want += q[i] * y[i];
          // y is rounded to 1/32767 of its range: relative error well under 1e-4 of the scale of the sum.
          const scale = Math.max(1, Math.abs(want), chars * 255 * Math.max(...Array.from(y, Math.abs)) * 1e-4);
          expect(Math.abs(dots[k] - want) / scale, `${chars} ${k}`).toBeLessThan(1e-3);
        });
      }
    }
  });
  it("does not overflow on a long row of maximal values", () => {
    const chars = 200_000;
    const m = new UnitMatrix(chars, 1);
    m.row(0).fill(255);
    const { dots } = m.dotAll(new Float32Array(chars).fill(1));
    expect(dots[0]).toBeCloseTo(255 * chars, 0);
  });
  it("sums Σ q and Σ q² over any stretch exactly, unaligned, short or long, of maximal values too", () => {
    const rng = new Random(9);
    const chars = 70_001;
    const m = new UnitMatrix(chars, 4);
    for (let k = 0; k < 4; k++) {
      const r = m.row(k);
      for (let i = 0; i < chars; i++) r[i] = k === 0 ? 255 : Math.floor(rng.next() * 256);
    }
    for (const [from, to] of [[0, chars], [0, 1], [3, 19], [17, 1041], [1000, 60_000], [chars - 5, chars], [12_345, 70_000]]) {
      const { sumQ, sumQ2 } = m.sumsAll(from, to);
      for (let k = 0; k < 4; k++) {
        let s = 0, s2 = 0;
        for (const v of m.row(k).subarray(from, to)) (s += v), (s2 += v * v);
        expect([sumQ[k], sumQ2[k]], `${from}–${to} unit ${k}`).toEqual([s, s2]);
      }
    }
  });
});

