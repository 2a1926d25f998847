/**
 * Select and match (LSTMVis's idea): which units are "on" throughout a
 * selected span of text, and off just before it; then every other place in
 * the recording where that same set of units is on.
 *
 *   on⁺(u, t) ⇔ value ≥ θ,   on⁻(u, t) ⇔ value ≤ −θ (signed kinds only)
 *   S   = {(u, ±) : on±(u, t) for every t in [a, b), and not at a − 1}
 *   O_t = {(u, ±) : on±(u, t)}
 *   J_t = |S ∩ O_t| / |S ∪ O_t|          (Jaccard; |S ∪ O_t| = |S| + |O_t| − |S ∩ O_t|)
 *
 * Only (unit, sign) pairs that are on at under half of the recording's
 * characters count (ALWAYS_ON): a unit saturated nearly everywhere is "on" in
 * every span and would swamp every union. Matches are the runs of characters
 * where J_t ≥ `minJaccard` (by default RELATIVE_MIN × the span's mean J), best mean J first; the selected span's own run is
 * left out. All on the stored bytes:
 * value ≥ θ is byte ≥ the byte of θ (a kind's range maps linearly onto 0..255).
 */
import { isSigned, kindRange, type UnitKind } from "../model/unit-kinds.ts";
import type { UnitSeries } from "./rank.ts";

export interface MatchOptions {
  /** The threshold θ on the unit's value (0 < θ < 1). */
  threshold: number;
  /** Jaccard from which a character is part of a match (default: RELATIVE_MIN of the span's own mean J). */
  minJaccard?: number;
  /** Matches kept (default 20). */
  limit?: number;
}

export interface SelectedUnit {
  unit: string;
  /** +1: on at ≥ θ; −1: on at ≤ −θ. */
  sign: 1 | -1;
}

export interface SpanMatch {
  start: number;
  end: number;
  /** Mean and largest J over the run. */
  meanJaccard: number;
  maxJaccard: number;
}

export interface MatchResult {
  selected: SelectedUnit[];
  /** Pairs that were on throughout but also just before the span (left out of the set). */
  onBefore: number;
  /** Pairs on at more than ALWAYS_ON of the characters (left out of every set). */
  alwaysOn: number;
  /** The span's own mean J, and the J from which characters made matches. */
  spanJaccard: number;
  minJaccard: number;
  matches: SpanMatch[];
  /** J_t over the whole recording (what previews are colored by). */
  jaccard: Float32Array;
}

/** The bytes at and above which a kind's value is ≥ θ, and at and below which it is ≤ −θ (−1 when it cannot be). */
function byteThresholds(kind: string, threshold: number): { hi: number; lo: number } {
  const r = kindRange(kind);
  const toByte = (v: number) => ((v - r.lo) / (r.hi - r.lo)) * 255;
  return { hi: Math.ceil(toByte(threshold) - 1e-9), lo: isSigned(kind) ? Math.floor(toByte(-threshold) + 1e-9) : -1 };
}

/** A match's characters reach at least this share of the span's own mean J (unless minJaccard says otherwise). */
export const RELATIVE_MIN = 0.6;

/** Pairs on at more than this share of the characters are left out of every set. */
export const ALWAYS_ON = 0.5;

export interface OnCounts {
  /** |O_t| for every t: how many counted (unit, sign) pairs are on at each character. */
  counts: Uint16Array;
  /** The pairs left out ("c:1:39+", "c:1:39-"): on nearly everywhere. */
  alwaysOn: Set<string>;
}

export function countOn(series: readonly UnitSeries[], threshold: number, chars: number): OnCounts {
  const counts = new Uint16Array(chars);
  const alwaysOn = new Set<string>();
  const row = new Uint8Array(chars);
  for (const s of series) {
    const { hi, lo } = byteThresholds(s.unit.split(":")[0], threshold);
    for (const sign of [1, -1] as const) {
      if (sign === -1 && lo < 0) continue;
      const q = s.q;
      let k = 0;
      if (sign === 1) for (let t = 0; t < chars; t++) k += row[t] = q[t] >= hi ? 1 : 0;
      else for (let t = 0; t < chars; t++) k += row[t] = q[t] <= lo ? 1 : 0;
      if (k > ALWAYS_ON * chars) {
        alwaysOn.add(`${s.unit}${sign === 1 ? "+" : "-"}`);
        continue;
      }
      for (let t = 0; t < chars; t++) counts[t] += row[t];
    }
  }
  return { counts, alwaysOn };
}

export function matchSpan(series: readonly UnitSeries[], on: OnCounts, span: { start: number; end: number }, o: MatchOptions): MatchResult {
  const onCount = on.counts;
  const chars = onCount.length;
  const { start: a, end: b } = span;
  const selected: SelectedUnit[] = [];
  const rows: { q: Uint8Array; test: (v: number) => boolean }[] = [];
  let onBefore = 0;
  for (const s of series) {
    const { hi, lo } = byteThresholds(s.unit.split(":")[0] as UnitKind, o.threshold);
    for (const sign of [1, -1] as const) {
      if (sign === -1 && lo < 0) continue;
      if (on.alwaysOn.has(`${s.unit}${sign === 1 ? "+" : "-"}`)) continue;
      const test = sign === 1 ? (v: number) => v >= hi : (v: number) => v <= lo;
      let all = true;
      for (let t = a; t < b && all; t++) all = test(s.q[t]);
      if (!all) continue;
      if (a > 0 && test(s.q[a - 1])) {
        onBefore++;
        continue;
      }
      selected.push({ unit: s.unit, sign });
      rows.push({ q: s.q, test });
    }
  }
  const inter = new Uint16Array(chars);
  for (const { q, test } of rows) for (let t = 0; t < chars; t++) if (test(q[t])) inter[t]++;
  const S = selected.length;
  const jaccard = new Float32Array(chars);
  if (S > 0) for (let t = 0; t < chars; t++) jaccard[t] = inter[t] / (S + onCount[t] - inter[t]);
  let own = 0;
  for (let t = a; t < b; t++) own += jaccard[t];
  own /= Math.max(1, b - a);
  const min = o.minJaccard ?? Math.max(1e-6, RELATIVE_MIN * own);
  const runs: SpanMatch[] = [];
  for (let t = 0; t < chars; ) {
    if (jaccard[t] < min || S === 0) {
      t++;
      continue;
    }
    let u = t, sum = 0, max = 0;
    for (; u < chars && jaccard[u] >= min; u++) (sum += jaccard[u]), (max = Math.max(max, jaccard[u]));
    // The selection's own run is not a match.
    if (!(t < b && u > a)) runs.push({ start: t, end: u, meanJaccard: sum / (u - t), maxJaccard: max });
    t = u;
  }
  runs.sort((x, y) => y.meanJaccard - x.meanJaccard || y.end - y.start - (x.end - x.start) || x.start - y.start);
  return { selected, onBefore, alwaysOn: on.alwaysOn.size, spanJaccard: own, minJaccard: min, matches: runs.slice(0, o.limit ?? 20), jaccard };
}
