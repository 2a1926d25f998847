/**
 * Ranks every unit of a recording against a per-character signal: Pearson r
 * for any signal, plus ROC AUC for on/off ones.
 *
 * Works directly on the stored bytes q (an affine image of the activations, so
 * r is the same) with each unit's Σq and Σq² precomputed at recording time:
 * the only per-search work is Σ q·y per unit. For an on/off signal that sum,
 * and the AUC, come from a 256-bin histogram of the unit's bytes over the on
 * characters (or the off ones, whichever are fewer) and the unit's full
 * histogram.
 */
import type { Signal } from "./signals.ts";

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
}

export interface Ranking {
  results: UnitScore[];
  /** Characters where the signal is non-zero. */
  matches: number;
  coverage: number;
  /** Set when no unit can be scored: the signal is constant. */
  problem?: string;
}

/** Pearson r from sums (float64); NaN-free: 0 when either side is constant. */
function pearson(n: number, sx: number, sxx: number, sy: number, syy: number, sxy: number): number {
  const cov = n * sxy - sx * sy;
  const vx = n * sxx - sx * sx;
  const vy = n * syy - sy * sy;
  return vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : 0;
}

export function rankUnits(series: UnitSeries[], signal: Signal, opts: { sort?: "r" | "auc" } = {}): Ranking {
  const y = signal.values;
  const n = y.length;
  let sy = 0, syy = 0, on = 0;
  for (let i = 0; i < n; i++) {
    sy += y[i];
    syy += y[i] * y[i];
    if (y[i] !== 0) on++;
  }
  const coverage = n ? on / n : 0;
  const constant = n * syy - sy * sy <= 0;
  if (constant) {
    const problem = on === 0 ? "the signal is never on in this recording (no matches)" : on === n ? "the signal is on at every character (it matches everything)" : "the signal is constant over this recording";
    return { results: [], matches: on, coverage, problem };
  }
  const results: UnitScore[] = [];
  if (signal.binary) {
    // Visit the rarer side: on positions if on ≤ n/2, else off positions.
    const useOn = on <= n / 2;
    const pos = new Int32Array(useOn ? on : n - on);
    for (let i = 0, k = 0; i < n; i++) if ((y[i] !== 0) === useOn) pos[k++] = i;
    const h = new Uint32Array(256);
    for (const s of series) {
      h.fill(0);
      const q = s.q;
      for (let k = 0; k < pos.length; k++) h[q[pos[k]]]++;
      // hOn / hOff: histograms of q over on and off characters.
      let sumOn = 0;
      let auc = 0;
      let offBelow = 0;
      for (let v = 0; v < 256; v++) {
        const a = useOn ? h[v] : s.hist[v] - h[v];
        const b = s.hist[v] - a;
        sumOn += v * a;
        auc += a * (offBelow + 0.5 * b);
        offBelow += b;
      }
      const off = n - on;
      results.push({ unit: s.unit, r: pearson(n, s.sumQ, s.sumQ2, sy, syy, sumOn), auc: auc / (on * off) });
    }
  } else {
    for (const s of series) {
      const q = s.q;
      let sxy = 0;
      for (let i = 0; i < n; i++) sxy += q[i] * y[i];
      results.push({ unit: s.unit, r: pearson(n, s.sumQ, s.sumQ2, sy, syy, sxy) });
    }
  }
  const key = opts.sort === "auc" && signal.binary ? (x: UnitScore) => Math.abs(x.auc! - 0.5) : (x: UnitScore) => Math.abs(x.r);
  results.sort((a, b) => key(b) - key(a) || a.unit.localeCompare(b.unit));
  return { results, matches: on, coverage };
}
