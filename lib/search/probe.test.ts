/**
 * The probe fits against references written separately here (float64,
 * Gaussian elimination with partial pivoting, no code shared with probe.ts),
 * and the curve on synthetic units whose target is known to need four of them.
 */
import { describe, expect, it } from "vitest";
import { designMatrix, fitLogistic, fitRidge, LOGISTIC_LAMBDA, predict, probe, RIDGE_LAMBDA, rocAuc, rSquared, standardizer } from "./probe.ts";
import { probeUnits, type UnitSource } from "./probe-units.ts";
import { matrixDots } from "./load-units.ts";
import { PROBE_GROUP_UNITS } from "../api/limits.ts";
import { UnitMatrix } from "./unit-matrix.ts";

/** A seeded generator (mulberry32), so every run sees the same data. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Solves A x = b (A dense d × d, row-major) by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const d = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = c + 1; r < d; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= d; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(d).fill(0);
  for (let r = d - 1; r >= 0; r--) {
    let s = m[r][d];
    for (let k = r + 1; k < d; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x;
}

/** Standardized features as plain arrays: (x − mean) / population std, per column. */
function standardized(cols: number[][]): number[][] {
  return cols.map((c) => {
    const mean = c.reduce((s, v) => s + v, 0) / c.length;
    const sd = Math.sqrt(c.reduce((s, v) => s + (v - mean) ** 2, 0) / c.length);
    return c.map((v) => (v - mean) / sd);
  });
}

/** Ridge as the header of probe.ts states it, from its definition: (ZᵀZ/n + λI) w = Zᵀ(y − ȳ)/n. */
function referenceRidge(z: number[][], y: number[], lambda: number) {
  const d = z.length, n = y.length;
  const ybar = y.reduce((s, v) => s + v, 0) / n;
  const a = z.map((zi, i) => z.map((zj, j) => zi.reduce((s, v, r) => s + v * zj[r], 0) / n + (i === j ? lambda : 0)));
  const b = z.map((zi) => zi.reduce((s, v, r) => s + v * (y[r] - ybar), 0) / n);
  return { b: ybar, w: solve(a, b) };
}

/** Logistic as probe.ts states it, by plain Newton steps (no step halving) from zero, to convergence. */
function referenceLogistic(z: number[][], y: number[], lambda: number) {
  const d = z.length, n = y.length;
  let theta = new Array<number>(d + 1).fill(0);
  const x = (r: number, j: number) => (j === 0 ? 1 : z[j - 1][r]);
  for (let it = 0; it < 100; it++) {
    const g = new Array<number>(d + 1).fill(0);
    const h = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let r = 0; r < n; r++) {
      let t = 0;
      for (let j = 0; j <= d; j++) t += theta[j] * x(r, j);
      const p = 1 / (1 + Math.exp(-t));
      for (let j = 0; j <= d; j++) {
        g[j] += ((p - y[r]) * x(r, j)) / n;
        for (let k = 0; k <= d; k++) h[j][k] += (p * (1 - p) * x(r, j) * x(r, k)) / n;
      }
    }
    for (let j = 1; j <= d; j++) (g[j] += lambda * theta[j]), (h[j][j] += lambda);
    const step = solve(h, g);
    theta = theta.map((v, j) => v - step[j]);
    if (Math.max(...step.map(Math.abs)) < 1e-13) break;
  }
  return { b: theta[0], w: theta.slice(1) };
}

/** n rows of d correlated byte-valued features (each a mix of a shared factor and its own noise). */
function features(n: number, d: number, seed: number): Uint8Array[] {
  const r = rng(seed);
  const shared = Array.from({ length: n }, () => r());
  return Array.from({ length: d }, (_, j) => Uint8Array.from(shared, (s) => Math.round(255 * (0.3 * j * s / d + (1 - 0.3 * j / d) * r()))));
}

describe("probe fits against a float64 reference", () => {
  const n = 300, d = 5;
  const cols = features(n, d, 7);
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const { mu, sd } = standardizer(cols, rows);
  const z = designMatrix(cols, rows, mu, sd);
  const zRef = standardized(cols.map((c) => Array.from(c)));
  const r = rng(11);
  const noisy = Array.from({ length: n }, (_, i) => 0.02 * cols[0][i] - 0.05 * cols[3][i] + 3 * (r() - 0.5));

  it("standardizing matches the definition", () => {
    for (let j = 0; j < d; j++) for (let i = 0; i < n; i += 37) expect(z[i * d + j]).toBeCloseTo(zRef[j][i], 12);
  });

  it("ridge agrees with the normal equations solved by elimination", () => {
    const got = fitRidge(z, n, d, noisy);
    const want = referenceRidge(zRef, noisy, RIDGE_LAMBDA);
    expect(got.b).toBeCloseTo(want.b, 10);
    for (let j = 0; j < d; j++) expect(got.w[j]).toBeCloseTo(want.w[j], 10);
    // and with a λ large enough to matter, so λ is applied as stated
    const big = fitRidge(z, n, d, noisy, 0.5), bigRef = referenceRidge(zRef, noisy, 0.5);
    for (let j = 0; j < d; j++) expect(big.w[j]).toBeCloseTo(bigRef.w[j], 10);
    expect(Math.abs(big.w[3])).toBeLessThan(Math.abs(got.w[3]));
  });

  it("logistic agrees with plain Newton steps, with the full Hessian and with a subsampled one", () => {
    const on = noisy.map((v) => (v > 0.02 * 128 - 0.05 * 128 ? 1 : 0));
    expect(on.filter(Boolean).length).toBeGreaterThan(60);
    expect(on.filter((v) => !v).length).toBeGreaterThan(60);
    const want = referenceLogistic(zRef, on, LOGISTIC_LAMBDA);
    for (const hessianRows of [undefined, 40]) {
      const got = fitLogistic(z, n, d, on, LOGISTIC_LAMBDA, { hessianRows, maxIter: 200, tol: 1e-12 });
      expect(got.b).toBeCloseTo(want.b, 7);
      for (let j = 0; j < d; j++) expect(got.w[j]).toBeCloseTo(want.w[j], 7);
    }
  });

  it("R² and AUC match their definitions, and predict reads the columns as the fit saw them", () => {
    const fit = fitRidge(z, n, d, noisy);
    const t = predict({ ...fit, mu, sd }, cols, rows);
    for (let i = 0; i < n; i += 29) {
      let s = fit.b;
      for (let j = 0; j < d; j++) s += fit.w[j] * zRef[j][i];
      expect(t[i]).toBeCloseTo(s, 9);
    }
    const mean = noisy.reduce((s, v) => s + v, 0) / n;
    const res = noisy.reduce((s, v, i) => s + (v - t[i]) ** 2, 0), tot = noisy.reduce((s, v) => s + (v - mean) ** 2, 0);
    expect(rSquared(noisy, t)).toBeCloseTo(1 - res / tot, 12);
    // AUC by counting every (on, off) pair, ties half.
    const scores = [0.1, 0.4, 0.4, 0.9, 0.3, 0.4, 0.8], on = [0, 1, 0, 1, 0, 1, 1];
    let pairs = 0, wins = 0;
    for (let i = 0; i < scores.length; i++) for (let k = 0; k < scores.length; k++) if (on[i] && !on[k]) (pairs++, (wins += scores[i] > scores[k] ? 1 : scores[i] === scores[k] ? 0.5 : 0));
    expect(rocAuc(scores, on)).toBeCloseTo(wins / pairs, 12);
    expect(rocAuc([1, 2], [1, 1])).toBeNaN();
  });

  it("a constant feature is left out rather than dividing by zero", () => {
    const withConst = [...cols, new Uint8Array(n).fill(9)];
    const out = probe(withConst, noisy, rows.subarray(0, 240), rows.subarray(240), false);
    expect(out.readOut.sd[d]).toBe(0);
    expect(Number.isFinite(out.score)).toBe(true);
  });
});

/** A recording-like set of units in a UnitMatrix, with their byte sums, as lib/store/recordings.ts loads them. */
function unitsOf(cols: Map<string, Uint8Array>, n: number): UnitSource {
  const matrix = new UnitMatrix(n, cols.size);
  const series = [...cols].map(([unit, q], k) => {
    const row = matrix.row(k);
    row.set(q);
    let sumQ = 0, sumQ2 = 0;
    for (const v of q) (sumQ += v), (sumQ2 += v * v);
    return { unit, q: row, sumQ, sumQ2, hist: new Uint32Array(256) };
  });
  return (y, stretch) => matrixDots({ series, matrix }, y, stretch);
}

describe("how many cells it takes, on units whose target needs four", () => {
  const n = 5000;
  const r = rng(3);
  const cols = new Map<string, Uint8Array>();
  for (let i = 0; i < 40; i++) cols.set(`c:0:${i}`, Uint8Array.from({ length: n }, () => Math.floor(256 * r())));
  for (let i = 0; i < 40; i++) cols.set(`h:1:${i}`, Uint8Array.from({ length: n }, () => Math.floor(256 * r())));
  // The target: the sum of four units of layer 0 (with different weights, so no one unit is most of it).
  const four = ["c:0:5", "c:0:11", "c:0:23", "c:0:31"].map((u) => cols.get(u)!);
  const sum = Float32Array.from({ length: n }, (_, i) => four[0][i] + 0.9 * four[1][i] + 0.8 * four[2][i] + 1.1 * four[3][i]);
  const units = unitsOf(cols, n);

  it("ridge: R² is low for one unit, rises with k and reaches ~1 at four; layer 0 has it, layer 1 does not", async () => {
    const p = await probeUnits(units, { values: sum, binary: false });
    expect(p.method).toBe("ridge");
    expect(p.trainChars).toBe(4000);
    expect(p.curve.map((x) => x.k)).toEqual([1, 2, 4, 8, 16, 32]);
    const score = (k: number) => p.curve.find((x) => x.k === k)!.score;
    expect(score(1)).toBeLessThan(0.4);
    expect(score(2)).toBeGreaterThan(score(1) + 0.1);
    expect(score(4)).toBeGreaterThan(0.99);
    expect(new Set(p.curve[2].units)).toEqual(new Set(["c:0:5", "c:0:11", "c:0:23", "c:0:31"]));
    expect(score(32)).toBeGreaterThan(0.98); // 28 useless units cost little out of sample
    expect(p.groups.map((g) => `${g.kind}:${g.layer}:${g.units}/${g.of}`)).toEqual(["c:0:40/40", "h:1:40/40"]);
    expect(p.groups[0].score).toBeGreaterThan(0.98);
    expect(p.groups[1].score).toBeLessThan(0.02);
  });

  it("logistic: AUC is lower for one unit and near 1 at four", async () => {
    const sorted = Float32Array.from(sum).sort();
    const on = Float32Array.from(sum, (v) => (v > sorted[Math.floor(n * 0.7)] ? 1 : 0));
    const p = await probeUnits(units, { values: on, binary: true });
    expect(p.method).toBe("logistic");
    const score = (k: number) => p.curve.find((x) => x.k === k)!.score;
    expect(score(1)).toBeLessThan(0.85);
    expect(score(4)).toBeGreaterThan(0.99);
    expect(score(4)).toBeGreaterThan(score(1) + 0.1);
  });

  it("fits a group bigger than PROBE_GROUP_UNITS on its best units by |r|, and says so", async () => {
    const big = new Map(cols);
    for (let i = 40; i < PROBE_GROUP_UNITS + 20; i++) big.set(`c:0:${i}`, Uint8Array.from({ length: n }, () => Math.floor(256 * r())));
    const many = unitsOf(big, n);
    const p = await probeUnits(many, { values: sum, binary: false });
    expect(p.groups.map((g) => `${g.kind}:${g.layer}:${g.units}/${g.of}`)).toEqual([`c:0:${PROBE_GROUP_UNITS}/${PROBE_GROUP_UNITS + 20}`, "h:1:40/40"]);
    // The four units the target is made of are among the best by |r|, so the capped fit still finds it.
    expect(p.groups[0].score).toBeGreaterThan(0.98);
  });

  it("a signal constant over the test part is refused with a reason, not scored", async () => {
    const early = new Float32Array(n);
    early.fill(1, 100, 200);
    const p = await probeUnits(units, { values: early, binary: true });
    expect(p.problem).toBe("the signal is never on over the last 20% (the test part)");
    expect(p.curve).toEqual([]);
  });
});
