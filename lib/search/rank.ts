/**
 * Ranks every unit of a recording against a per-character signal: Pearson r
 * for any signal, plus ROC AUC for on/off ones.
 *
 * Works directly on the stored bytes q (an affine image of the activations, so
 * r is the same) with each unit's Σq and Σq² precomputed at recording time:
 * the only per-search work over every unit is Σ q·y (a SIMD kernel, see
 * unit-matrix.ts). The AUC of an on/off signal comes from a 256-bin histogram
 * of the unit's bytes over the on characters (or the off ones, whichever are
 * fewer) and the unit's full histogram.
 */
import { kindRange, parseUnitId } from "../store/quantize.ts";
import { byteHistogram } from "../record/unit-stats.ts";
import type { Signal } from "./signals.ts";
import { isConstantUnit } from "./strength.ts";
import type { Dots } from "./unit-matrix.ts";

export interface UnitSeries {
  unit: string;
  q: Uint8Array;
  /** Full 256-bin histogram of q. */
  hist: Uint32Array;
  sumQ: number;
  sumQ2: number;
}

export interface UnitScore {
  unit: string;
  r: number;
  /** ROC AUC of the unit's value as a detector of the on characters (on/off signals only). */
  auc?: number;
  /** Standard deviation of the unit's values over the characters ranked (in its own units, e.g. tanh(c)). */
  std: number;
}

export interface Ranking {
  /** Units that move first, best first; then the constant ones (std under CONSTANT_STD), whose r is noise. */
  results: UnitScore[];
  /** How many units are constant over the characters ranked (all of them ranked last). */
  constant: number;
  /** The best |r| among the units that move (0 when none does). */
  bestR: number;
  /** Characters where the signal is non-zero. */
  matches: number;
  coverage: number;
  /** Set when no unit can be scored: the signal is constant. */
  problem?: string;
}

/**
 * The series over characters [from, to) only: views of the bytes with their
 * sums recounted (`sums`, from the SIMD kernel, in series order, or here) and
 * the histogram counted only if asked for: AUC needs it for the units returned.
 */
export function restrictSeries(series: UnitSeries[], from: number, to: number, sums?: { sumQ: Float64Array; sumQ2: Float64Array }): UnitSeries[] {
  return series.map((s, k) => {
    // Views taken on first use: a streamed series (load-units.ts) reads a unit's bytes only when asked.
    let q: Uint8Array | undefined;
    const bytes = () => (q ??= s.q.subarray(from, to));
    let hist: Uint32Array | undefined;
    const histogram = () => (hist ??= byteHistogram(bytes()));
    let sumQ = 0, sumQ2 = 0;
    if (sums) (sumQ = sums.sumQ[k]), (sumQ2 = sums.sumQ2[k]);
    else for (let v = 1, h = histogram(); v < 256; v++) (sumQ += v * h[v]), (sumQ2 += v * v * h[v]);
    return {
      unit: s.unit,
      get q() {
        return bytes();
      },
      sumQ,
      sumQ2,
      get hist() {
        return histogram();
      },
    };
  });
}

/** Pearson r from sums (float64); NaN-free: 0 when either side is constant. */
function pearson(n: number, sx: number, sxx: number, sy: number, syy: number, sxy: number): number {
  const cov = n * sxy - sx * sy;
  const vx = n * sxx - sx * sx;
  const vy = n * syy - sy * sy;
  return vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : 0;
}

/** Standard deviation of a unit's values over n characters, from its byte sums and its kind's byte scale. */
function unitStd(s: UnitSeries, n: number): number {
  const { lo, hi } = kindRange(parseUnitId(s.unit).kind);
  const mean = s.sumQ / n;
  return Math.sqrt(Math.max(0, s.sumQ2 / n - mean * mean)) * ((hi - lo) / 255);
}

/** The characters AUC counts over for an on/off signal y: the rarer side's positions, and the counts. */
export interface AucSides {
  /** Positions of the on characters when they are the rarer side, else of the off ones. */
  pos: Int32Array;
  useOn: boolean;
  on: number;
  n: number;
}

export function aucSides(y: Float32Array): AucSides {
  const n = y.length;
  let on = 0;
  for (let i = 0; i < n; i++) if (y[i] !== 0) on++;
  const useOn = on <= n / 2;
  const pos = new Int32Array(useOn ? on : n - on);
  for (let i = 0, k = 0; i < n; i++) if ((y[i] !== 0) === useOn) pos[k++] = i;
  return { pos, useOn, on, n };
}

/**
 * ROC AUC of a unit (bytes q, their 256-bin histogram `hist`) as a detector of
 * the on characters, from a histogram of its bytes over the rarer side. `h`: scratch of 256.
 */
export function unitAuc(q: Uint8Array, hist: Uint32Array, sides: AucSides, h = new Uint32Array(256)): number {
  const { pos, useOn, on, n } = sides;
  h.fill(0);
  for (let k = 0; k < pos.length; k++) h[q[pos[k]]]++;
  let auc = 0;
  let offBelow = 0;
  for (let v = 0; v < 256; v++) {
    const a = useOn ? h[v] : hist[v] - h[v]; // on characters with byte v
    const b = hist[v] - a; // off characters with byte v
    auc += a * (offBelow + 0.5 * b);
    offBelow += b;
  }
  return auc / (on * (n - on));
}

/**
 * Ranks units by |r| (or by |AUC − 0.5| with sort "auc") and returns the best
 * `limit` (all by default). A constant unit (a tanh(c) pinned at ±1) is
 * ranked after every unit that moves, whatever its r: a correlation over a
 * series that barely moves comes from a handful of characters, and such units
 * would otherwise crowd the top for rare patterns. `dots`, when given, are the Σ q·y sums already
 * computed for every unit (by the SIMD kernel, unit-matrix.ts), in `series` order.
 */
export function rankUnits(series: UnitSeries[], signal: Signal, opts: { sort?: "r" | "auc"; limit?: number; dots?: Dots; aucs?: ArrayLike<number> } = {}): Ranking {
  const y = signal.values;
  const n = y.length;
  let on = 0;
  let sy = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0) on++;
    sy += y[i];
    syy += y[i] * y[i];
  }
  if (opts.dots) ({ sy, syy } = opts.dots);
  const coverage = n ? on / n : 0;
  if (n * syy - sy * sy <= 1e-9 * n * n * Math.max(1, syy / n)) {
    const problem = on === 0 ? "the signal is never on in this recording (no matches)" : on === n ? "the signal is on at every character (it matches everything)" : "the signal is constant over this recording";
    return { results: [], constant: 0, bestR: 0, matches: on, coverage, problem };
  }
  const results: UnitScore[] = series.map((s, k) => {
    let sxy = 0;
    if (opts.dots) sxy = opts.dots.dots[k];
    else for (let i = 0, q = s.q; i < n; i++) sxy += q[i] * y[i];
    return { unit: s.unit, r: pearson(n, s.sumQ, s.sumQ2, sy, syy, sxy), std: unitStd(s, n) };
  });
  let constant = 0, bestR = 0;
  for (const x of results) {
    if (isConstantUnit(x)) constant++;
    else bestR = Math.max(bestR, Math.abs(x.r));
  }
  const stats = { constant, bestR, matches: on, coverage };
  const limit = Math.min(opts.limit ?? results.length, results.length);
  // Units that move before constant ones; then the stronger first; ties by name, so the order is stable.
  const moving = (a: UnitScore, b: UnitScore) => Number(isConstantUnit(a)) - Number(isConstantUnit(b));
  const byR = (a: UnitScore, b: UnitScore) => moving(a, b) || Math.abs(b.r) - Math.abs(a.r) || a.unit.localeCompare(b.unit);
  if (!signal.binary) {
    results.sort(byR);
    return { results: results.slice(0, limit), ...stats };
  }
  // AUC needs a pass over the rarer side's characters per unit: do it only for the units returned,
  // unless ranking by AUC (or given them, computed as the bytes streamed by: load-units.ts).
  const sides = opts.aucs ? undefined : aucSides(y);
  const h = new Uint32Array(256);
  const index = new Map(series.map((s, k) => [s.unit, k]));
  const aucOf = (k: number) => (opts.aucs ? opts.aucs[k] : unitAuc(series[k].q, series[k].hist, sides!, h));
  const withAuc = (x: UnitScore) => ({ ...x, auc: aucOf(index.get(x.unit)!) });
  if (opts.sort === "auc") {
    const all = results.map(withAuc);
    all.sort((a, b) => moving(a, b) || Math.abs(b.auc - 0.5) - Math.abs(a.auc - 0.5) || a.unit.localeCompare(b.unit));
    return { results: all.slice(0, limit), ...stats };
  }
  results.sort(byR);
  return { results: results.slice(0, limit).map(withAuc), ...stats };
}
