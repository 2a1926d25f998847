/**
 * Statistics of one unit over a recording, computed from its stored bytes:
 * moments, extremes, quantiles, a histogram, the positions of its strongest
 * and weakest activations, and (for gates) how often it is saturated.
 */
import type Database from "better-sqlite3";
import { readUnit } from "../store/activations.ts";
import { dequantize, kindRange, type Range, type UnitKind } from "../store/quantize.ts";
import { nativeRecording } from "../model/native-addon.ts";

export const TOP_K = 50;
export const HIST_BINS = 64;

export interface UnitStats {
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Values at quantiles 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99. */
  quantiles: number[];
  /** HIST_BINS counts over the kind's range. */
  histogram: number[];
  /** Positions (offsets in the recording) of the TOP_K highest values, highest first. */
  top: number[];
  /** Positions of the TOP_K lowest values, lowest first. */
  bottom: number[];
  /** Fraction of values < 0.1 and > 0.9 (meaningful for gates). */
  satLeft: number;
  satRight: number;
  /** Sums of the bytes and their squares (for fast Pearson r at search time). */
  sumQ: number;
  sumQ2: number;
}

/** The addon's positions (2·TOP_K: more than extremes() ever asks of it). */
const scratch = new Int32Array(2 * TOP_K);

export const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

/** 256-bin histogram of the bytes (the addon's loop where it is built: native/record.c). */
export function byteHistogram(q: Uint8Array, native = nativeRecording()): Uint32Array {
  if (native) {
    const h = new Uint32Array(256);
    native.histogram(q, h);
    return h;
  }
  // Four interleaved histograms, summed at the end: a run of equal bytes (a saturated unit)
  // otherwise makes every increment wait for the one before.
  const h4 = new Uint32Array(1024);
  const n4 = q.length & ~3;
  for (let i = 0; i < n4; i += 4) {
    h4[q[i]]++;
    h4[256 + q[i + 1]]++;
    h4[512 + q[i + 2]]++;
    h4[768 + q[i + 3]]++;
  }
  for (let i = n4; i < q.length; i++) h4[q[i]]++;
  const h = new Uint32Array(256);
  for (let v = 0; v < 256; v++) h[v] = h4[v] + h4[256 + v] + h4[512 + v] + h4[768 + v];
  return h;
}

/**
 * Positions of the k largest and the k smallest bytes, highest (lowest) first,
 * ties in text order. The histogram gives each side's threshold byte, so one
 * pass collects the few values beyond them and two short ones the first ties
 * at them: no sort of the whole row.
 */
export function extremes(q: Uint8Array, hist: Uint32Array, k: number, native = nativeRecording()): { top: number[]; bottom: number[] } {
  const need = Math.min(k, q.length);
  // hiT: the byte at which the k-th highest sits, with hiBeyond values strictly above it; loT likewise.
  let hiT = 255, hiBeyond = 0;
  while (hiBeyond + hist[hiT] < need) hiBeyond += hist[hiT--];
  let loT = 0, loBeyond = 0;
  while (loBeyond + hist[loT] < need) loBeyond += hist[loT++];
  const hi: number[] = [], lo: number[] = [];
  // The values strictly beyond the thresholds (at most k − 1 a side, so 2k − 2 in all).
  const pos = k <= TOP_K ? scratch : new Int32Array(2 * k);
  const found = native ? native.outside(q, loT, hiT, pos) : -1;
  if (found >= 0) {
    const beyond = pos.subarray(0, found);
    // Both tests: with fewer than 2k values the thresholds can cross, and a byte be beyond both.
    for (const i of beyond) {
      if (q[i] > hiT) hi.push(i);
      if (q[i] < loT) lo.push(i);
    }
  } else {
    // Bytes within [loT, hiT] (nearly all) take one unsigned comparison and a branch that is nearly always taken.
    const span = hiT - loT;
    for (let i = 0; i < q.length; i++) {
      const v = q[i];
      if ((v - loT) >>> 0 <= span) continue;
      if (v > hiT) hi.push(i);
      if (v < loT) lo.push(i);
    }
  }
  // Then the first ties at each threshold, stopping once there are enough: in one pass with the
  // above, a unit whose bytes crowd its thresholds (a quiet unit) mispredicted a branch a byte.
  const ties = (t: number, wanted: number) => {
    if (native) return Array.from(pos.subarray(0, native.equal(q, t, pos.subarray(0, wanted))));
    const out: number[] = [];
    for (let i = 0; i < q.length && out.length < wanted; i++) if (q[i] === t) out.push(i);
    return out;
  };
  const hiTies = ties(hiT, need - hiBeyond);
  const loTies = ties(loT, need - loBeyond);
  hi.sort((a, b) => q[b] - q[a] || a - b);
  lo.sort((a, b) => q[a] - q[b] || a - b);
  return { top: [...hi, ...hiTies], bottom: [...lo, ...loTies] };
}

/** A unit's statistics from its bytes; `native`: the addon's loops (default: where in use), or undefined for the JavaScript ones. */
export function unitStats(q: Uint8Array, range: Range, native = nativeRecording()): UnitStats {
  const n = q.length;
  const hist = byteHistogram(q, native);
  let sumQ = 0, sumQ2 = 0;
  for (let v = 0; v < 256; v++) {
    sumQ += v * hist[v];
    sumQ2 += v * v * hist[v];
  }
  const meanQ = sumQ / n;
  const varQ = Math.max(0, sumQ2 / n - meanQ * meanQ);
  const scale = (range.hi - range.lo) / 255;
  const quantile = (p: number) => {
    const target = p * (n - 1);
    let acc = 0;
    for (let v = 0; v < 256; v++) {
      acc += hist[v];
      if (acc > target) return dequantize(v, range);
    }
    return dequantize(255, range);
  };
  let minQ = 0;
  while (minQ < 255 && hist[minQ] === 0) minQ++;
  let maxQ = 255;
  while (maxQ > 0 && hist[maxQ] === 0) maxQ--;
  const histogram = new Array(HIST_BINS).fill(0);
  for (let v = 0; v < 256; v++) histogram[Math.floor((v * HIST_BINS) / 256)] += hist[v];
  let left = 0, right = 0;
  for (let v = 0; v < 256; v++) {
    const x = dequantize(v, range);
    if (x < 0.1) left += hist[v];
    if (x > 0.9) right += hist[v];
  }
  return {
    mean: dequantize(meanQ, range),
    std: Math.sqrt(varQ) * scale,
    min: dequantize(minQ, range),
    max: dequantize(maxQ, range),
    quantiles: QUANTILES.map(quantile),
    histogram,
    ...extremes(q, hist, TOP_K, native),
    satLeft: left / n,
    satRight: right / n,
    sumQ,
    sumQ2,
  };
}

/** A unit's row of the store's Unit table: its statistics, from the bytes stored for recording `recordingId`. */
export function storedUnitRow(db: Database.Database, recordingId: number, unit: string, chars: number) {
  return unitRow(recordingId, unit, readUnit(db, recordingId, unit, chars));
}

/** A unit's row of the store's Unit table from its bytes `q` (all of the recording's characters). */
export function unitRow(recordingId: number, unit: string, q: Uint8Array) {
  const [kind, layer, index] = unit.split(":");
  const s = unitStats(q, kindRange(kind as UnitKind));
  return {
    recordingId,
    unit,
    kind,
    layer: Number(layer),
    index: Number(index),
    mean: s.mean,
    std: s.std,
    min: s.min,
    max: s.max,
    quantiles: JSON.stringify(s.quantiles.map((x) => +x.toFixed(4))),
    histogram: JSON.stringify(s.histogram),
    top: JSON.stringify(s.top),
    bottom: JSON.stringify(s.bottom),
    satLeft: s.satLeft,
    satRight: s.satRight,
    sumQ: s.sumQ,
    sumQ2: s.sumQ2,
  };
}

export type StoredUnitRow = ReturnType<typeof unitRow>;
