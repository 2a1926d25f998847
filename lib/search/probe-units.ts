/**
 * "How many cells does it take": linear probes (probe.ts) of a signal from
 * the best k units, k = 1, 2, 4, …, 32, and from all the units of each layer
 * and kind, trained on the first 80% of a recording and scored on the last
 * 20% (a read-out that only memorized the training text scores badly there).
 *
 * Units are chosen by |r| with the signal over the training part (every
 * training character, on the search's SIMD kernel, rank.ts), best first,
 * leaving out constant ones; the k-unit sets are nested (the best 2 hold the
 * best 1). Choosing by |r| rather than greedily (forward selection) costs one
 * pass instead of thousands of fits; it can only understate what k units can
 * do, so a curve that rises means more cells carry the signal, never that
 * the choice was lucky. Layer-and-kind fits take every unit of the group,
 * constant ones included (they add nothing: z = 0), up to PROBE_GROUP_UNITS:
 * a bigger group is fitted on its best PROBE_GROUP_UNITS by |r|.
 *
 * Rows: fits use at most PROBE_TRAIN_ROWS training characters, evenly spaced
 * (neighbouring characters are nearly copies of each other); scores use every
 * test character.
 */
import { PROBE_GROUP_UNITS, PROBE_HESSIAN_ROWS, PROBE_TRAIN_ROWS } from "../api/limits.ts";
import { parseUnitId } from "../store/quantize.ts";
import { LOGISTIC_LAMBDA, probe, RIDGE_LAMBDA } from "./probe.ts";
import { rankUnits, restrictSeries } from "./rank.ts";
import type { Signal } from "./signals.ts";
import { isConstantUnit } from "./strength.ts";
import type { UnitDots } from "./load-units.ts";

/**
 * Every unit of the recording probed, with Σ q·y for y and its Σ q, Σ q² over
 * `stretch` (load-units.ts: unitDots for a server, matrixDots for a matrix at hand).
 */
export type UnitSource = (y: Float32Array, stretch: [number, number]) => Promise<UnitDots> | UnitDots;

/** The sizes of the best-k sets on the curve. */
export const PROBE_KS = [1, 2, 4, 8, 16, 32] as const;
/** The share of the recording, from its start, that probes train on. */
export const TRAIN_FRACTION = 0.8;

export interface ProbePoint {
  k: number;
  /** The k units, best |r| on the training part first. */
  units: string[];
  /** R² (ridge) or AUC (logistic) on the test part. */
  score: number;
}

export interface ProbeGroup {
  layer: number;
  kind: string;
  /** Units in the fit: all of the group's, or its PROBE_GROUP_UNITS best by |r| when it has more. */
  units: number;
  /** Units in the group. */
  of: number;
  score: number;
}

export interface ProbeCurve {
  /** Ridge for signals that are not on/off, logistic for on/off ones (probe.ts). */
  method: "ridge" | "logistic";
  metric: "R²" | "AUC";
  lambda: number;
  /** Characters [0, trainChars) train, [trainChars, trainChars + testChars) score. */
  trainChars: number;
  testChars: number;
  /** Training characters the fits used (evenly spaced; PROBE_TRAIN_ROWS at most). */
  trainRows: number;
  curve: ProbePoint[];
  groups: ProbeGroup[];
  /** Set when nothing can be fitted or scored (the signal is constant on one part); curve and groups are then empty. */
  problem?: string;
}

/**
 * Fits the curve and the layer-and-kind groups; `onStep(done, total)` after
 * each fit. Between fits it yields to the event loop, so a server answers
 * other requests while a probe runs (one 256-unit fit still holds it for up
 * to a second or two).
 */
export async function probeUnits(units: UnitSource, signal: Signal, onStep?: (done: number, total: number) => void): Promise<ProbeCurve> {
  const y = signal.values;
  const n = y.length;
  const split = Math.floor(n * TRAIN_FRACTION);
  const method = signal.binary ? "logistic" : "ridge";
  const base = { method, metric: signal.binary ? "AUC" : "R²", lambda: signal.binary ? LOGISTIC_LAMBDA : RIDGE_LAMBDA, trainChars: split, testChars: n - split } as const;
  const problem = constantPart(y, 0, split, "the first 80% (the training part)") ?? constantPart(y, split, n, "the last 20% (the test part)");
  if (problem) return { ...base, trainRows: 0, curve: [], groups: [], problem };

  const m = Math.min(split, PROBE_TRAIN_ROWS);
  const train = Int32Array.from({ length: m }, (_, i) => Math.floor((i * split) / m));
  const test = Int32Array.from({ length: n - split }, (_, i) => split + i);

  // |r| over the training part: the kernel's Σ q·y with y zero past the split, and the part's own Σq, Σq².
  const yTrain = new Float32Array(n);
  yTrain.set(y.subarray(0, split));
  const { series, dots, sums } = await units(yTrain, [0, split]);
  const ranked = rankUnits(restrictSeries(series, 0, split, sums), { values: y.subarray(0, split), binary: false }, { dots });
  const best = ranked.results.filter((u) => !isConstantUnit(u)).slice(0, PROBE_KS[PROBE_KS.length - 1]).map((u) => u.unit);
  // A unit's bytes, read when a fit first needs them: the fits use a few hundred units at most, so
  // a streamed recording (one over the server's budget) is never held whole.
  const bySeries = new Map(series.map((s) => [s.unit, s]));
  const column = (unit: string) => bySeries.get(unit)!.q;

  // Each group's units, best |r| on the training part first (the order rankUnits returns them in).
  const groupsOf = new Map<string, { layer: number; kind: string; units: string[] }>();
  for (const r of ranked.results) {
    const u = parseUnitId(r.unit);
    const key = `${u.layer}:${u.kind}`;
    if (!groupsOf.has(key)) groupsOf.set(key, { layer: u.layer, kind: u.kind, units: [] });
    groupsOf.get(key)!.units.push(r.unit);
  }
  const ks = PROBE_KS.filter((k) => k <= best.length);
  const total = ks.length + groupsOf.size;
  let done = 0;
  const fit = async (cols: Uint8Array[]) => {
    await new Promise((resolve) => setImmediate(resolve));
    const { score } = probe(cols, y, train, test, signal.binary, { hessianRows: PROBE_HESSIAN_ROWS });
    onStep?.(++done, total);
    return score;
  };
  const curve: ProbePoint[] = [];
  for (const k of ks) {
    const units = best.slice(0, k);
    curve.push({ k, units, score: await fit(units.map(column)) });
  }
  const groups: ProbeGroup[] = [];
  for (const g of [...groupsOf.values()].sort((a, b) => a.layer - b.layer || a.kind.localeCompare(b.kind))) {
    const units = g.units.slice(0, PROBE_GROUP_UNITS);
    groups.push({ layer: g.layer, kind: g.kind, units: units.length, of: g.units.length, score: await fit(units.map(column)) });
  }
  return { ...base, trainRows: m, curve, groups };
}

/** Why y cannot be probed over [from, to), or undefined when it moves there. */
function constantPart(y: Float32Array, from: number, to: number, part: string): string | undefined {
  if (to - from < 2) return `the recording is too short to probe (${y.length} characters)`;
  for (let i = from + 1; i < to; i++) if (y[i] !== y[from]) return undefined;
  return y[from] === 0 ? `the signal is never on over ${part}` : `the signal is constant over ${part}`;
}
