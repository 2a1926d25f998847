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

describe("units that barely move", () => {
  const rng = new Random(7);
  const n = 4000;
  /** A unit's series from its bytes (a tanh(c) or h unit: byte step 2/255). */
  const unit = (name: string, q: Uint8Array): UnitSeries => {
    let sumQ = 0, sumQ2 = 0;
    for (const v of q) (sumQ += v), (sumQ2 += v * v);
    return { unit: name, q, hist: byteHistogram(q), sumQ, sumQ2 };
  };
  // A rare pattern: on at 8 characters.
  const y = new Float32Array(n);
  for (let k = 0; k < 8; k++) y[250 + k * 400] = 1;
  // Pinned at 255 (tanh(c) at +1) except one step down at 3 of the 8 matches: a high r from three characters.
  const pinned = new Uint8Array(n).fill(255);
  for (let k = 0; k < 3; k++) pinned[250 + k * 400] = 254;
  // Near saturation: a few byte steps of wobble (std about 0.02), a bit lower at every match.
  const wobbly = Uint8Array.from({ length: n }, (_, i) => 250 - (y[i] ? 3 : 0) + Math.round(rng.uniform(-1.5, 1.5)));
  // A unit that moves freely and follows the pattern loosely.
  const moving = Uint8Array.from({ length: n }, (_, i) => Math.round(128 + (y[i] ? 40 : 0) + rng.uniform(-60, 60)));
  const s = [unit("c:0:1", pinned), unit("c:0:2", wobbly), unit("h:0:3", moving)];

  it("ranks a constant unit after every unit that moves, however high its r, and counts it", () => {
    const r = rankUnits(s, { values: y, binary: true });
    const pinnedScore = r.results.find((x) => x.unit === "c:0:1")!;
    // Its r beats every moving unit's: ranked by r alone it would come first.
    for (const x of r.results) if (x.unit !== "c:0:1") expect(Math.abs(pinnedScore.r)).toBeGreaterThan(Math.abs(x.r));
    expect(pinnedScore.std).toBeLessThan(0.001);
    expect(r.results.map((x) => x.unit).at(-1)).toBe("c:0:1");
    expect(r.constant).toBe(1);
    expect(r.bestR).toBe(Math.max(...r.results.filter((x) => x.unit !== "c:0:1").map((x) => Math.abs(x.r))));
    // Ranked by AUC too.
    expect(rankUnits(s, { values: y, binary: true }, { sort: "auc" }).results.at(-1)!.unit).toBe("c:0:1");
  });

  it("gives each unit its standard deviation in its own units (a byte step is 2/255 for c and h)", () => {
    const r = rankUnits(s, { values: y, binary: true });
    for (const x of r.results) {
      const q = s.find((u) => u.unit === x.unit)!.q;
      const values = Array.from(q, (b) => -1 + (2 * b) / 255);
      const mean = values.reduce((a, b) => a + b, 0) / n;
      expect(x.std).toBeCloseTo(Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / n), 10);
    }
    const wobble = r.results.find((x) => x.unit === "c:0:2")!;
    expect(wobble.std).toBeGreaterThan(0.001);
    expect(wobble.std).toBeLessThan(0.05);
  });
});
