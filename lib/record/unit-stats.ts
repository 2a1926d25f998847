/**
 * Statistics of one unit over a recording, computed from its stored bytes:
 * moments, extremes, quantiles, a histogram, the positions of its strongest
 * and weakest activations, and (for gates) how often it is saturated.
 */
import type Database from "better-sqlite3";
import { readUnit } from "../store/activations.ts";
import { dequantize, kindRange, type Range, type UnitKind } from "../store/quantize.ts";

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

export const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

/** 256-bin histogram of the bytes. */
export function byteHistogram(q: Uint8Array): Uint32Array {
  const h = new Uint32Array(256);
  for (let i = 0; i < q.length; i++) h[q[i]]++;
  return h;
}

/**
 * Positions of the k largest (or smallest) bytes, highest (lowest) first, ties
 * in text order. The histogram gives the threshold byte, so one pass collects
 * the few values beyond it and the first ties at it: no sort of the whole row.
 */
function extremes(q: Uint8Array, hist: Uint32Array, k: number, highest: boolean): number[] {
  const need = Math.min(k, q.length);
  let threshold = highest ? 255 : 0;
  let beyond = 0; // values strictly beyond the threshold
  while (beyond + hist[threshold] < need) {
    beyond += hist[threshold];
    threshold += highest ? -1 : 1;
  }
  const strict: number[] = [];
  const ties: number[] = [];
  for (let i = 0; i < q.length; i++) {
    const v = q[i];
    if (highest ? v > threshold : v < threshold) strict.push(i);
    else if (v === threshold && ties.length < need - beyond) ties.push(i);
  }
  strict.sort((a, b) => (highest ? q[b] - q[a] : q[a] - q[b]) || a - b);
  return [...strict, ...ties];
}

export function unitStats(q: Uint8Array, range: Range): UnitStats {
  const n = q.length;
  const hist = byteHistogram(q);
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
    top: extremes(q, hist, TOP_K, true),
    bottom: extremes(q, hist, TOP_K, false),
    satLeft: left / n,
    satRight: right / n,
    sumQ,
    sumQ2,
  };
}

/** A unit's row of the store's Unit table: its statistics, from the bytes stored for recording `recordingId`. */
export function storedUnitRow(db: Database.Database, recordingId: number, unit: string, chars: number) {
  const [kind, layer, index] = unit.split(":");
  const s = unitStats(readUnit(db, recordingId, unit, chars), kindRange(kind as UnitKind));
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

export type StoredUnitRow = ReturnType<typeof storedUnitRow>;
