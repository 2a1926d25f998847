import { describe, expect, it } from "vitest";
import { Random } from "../model/random.ts";
import { byteHistogram } from "../record/unit-stats.ts";
import { rankUnits, type UnitSeries } from "./rank.ts";
import { UnitMatrix } from "./unit-matrix.ts";

/** Plain float64 Pearson r. */
function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) (mx += x[i]), (my += y[i]);
  mx /= n;
  my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Plain AUC: the probability that an on character outscores an off one (ties count half), by all pairs. */
function auc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const on: number[] = [], off: number[] = [];
  for (let i = 0; i < x.length; i++) (y[i] ? on : off).push(x[i]);
  let s = 0;
  for (const a of on) for (const b of off) s += a > b ? 1 : a === b ? 0.5 : 0;
  return s / (on.length * off.length);
}

function series(rng: Random, n: number, units: number, y: Float32Array): UnitSeries[] {
  return Array.from({ length: units }, (_, u) => {
    // Units with different strengths of dependence on y, plus noise.
    const q = Uint8Array.from({ length: n }, (_, i) => Math.max(0, Math.min(255, Math.round(128 + (u - units / 2) * 4 * y[i] + rng.uniform(-60, 60)))));
    let sumQ = 0, sumQ2 = 0;
    for (const v of q) (sumQ += v), (sumQ2 += v * v);
    return { unit: `c:0:${u}`, q, hist: byteHistogram(q), sumQ, sumQ2 };
  });
}

describe("rankUnits", () => {
  const rng = new Random(1);
  const n = 2000;
  it("matches a float64 reference for an on/off signal (r and AUC), whichever side is rarer", () => {
    for (const p of [0.2, 0.8]) {
      const y = Float32Array.from({ length: n }, () => (rng.next() < p ? 1 : 0));
      const s = series(rng, n, 12, y);
      const r = rankUnits(s, { values: y, binary: true });
      expect(r.results.length).toBe(12);
      for (const res of r.results) {
        const q = s.find((x) => x.unit === res.unit)!.q;
        expect(res.r).toBeCloseTo(pearson(q, y), 10);
        expect(res.auc!).toBeCloseTo(auc(q, y), 10);
      }
      // Best first by |r|.
      const rs = r.results.map((x) => Math.abs(x.r));
      expect(rs).toEqual([...rs].sort((a, b) => b - a));
      expect(r.coverage).toBeCloseTo(y.reduce((a, b) => a + b) / n, 10);
    }
  });
  it("matches a float64 reference for a graded signal", () => {
    const y = Float32Array.from({ length: n }, (_, i) => i % 37);
    const s = series(rng, n, 8, y.map((v) => v / 37));
    const r = rankUnits(s, { values: y, binary: false });
    for (const res of r.results) expect(res.r).toBeCloseTo(pearson(s.find((x) => x.unit === res.unit)!.q, y), 10);
    expect(r.results[0].auc).toBeUndefined();
  });
  it("gives the same ranking with the SIMD kernel's sums, and ranks by AUC on request", () => {
    const y = Float32Array.from({ length: n }, () => (rng.next() < 0.1 ? 1 : 0));
    const s = series(rng, n, 16, y);
    const m = new UnitMatrix(n, s.length);
    s.forEach((x, k) => m.row(k).set(x.q));
    const plain = rankUnits(s, { values: y, binary: true });
    const fast = rankUnits(s, { values: y, binary: true }, { dots: m.dotAll(y), limit: 5 });
    expect(fast.results.map((x) => x.unit)).toEqual(plain.results.slice(0, 5).map((x) => x.unit));
    fast.results.forEach((x, i) => {
      expect(x.r).toBeCloseTo(plain.results[i].r, 4);
      expect(x.auc).toBeCloseTo(plain.results[i].auc!, 10);
    });
    const byAuc = rankUnits(s, { values: y, binary: true }, { sort: "auc" }).results.map((x) => Math.abs(x.auc! - 0.5));
    expect(byAuc).toEqual([...byAuc].sort((a, b) => b - a));
  });
  it("says so, instead of NaN, when the signal never or always fires", () => {
    const s = series(rng, 100, 3, new Float32Array(100));
    expect(rankUnits(s, { values: new Float32Array(100), binary: true }).problem).toMatch(/never on/);
    expect(rankUnits(s, { values: new Float32Array(100).fill(1), binary: true }).problem).toMatch(/every character/);
  });
});
