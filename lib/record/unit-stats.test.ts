import { describe, expect, it } from "vitest";
import { byteHistogram as histogram, unitStats as stats, TOP_K } from "./unit-stats.ts";
import { kindRange, quantize } from "../store/quantize.ts";
import { Random } from "../model/random.ts";
import { loadNativeAddon, type NativeAddon } from "../model/native-addon.ts";

// The addon's loops (native/record.c) where it is built, and the JavaScript ones, on the same cases.
const { addon } = loadNativeAddon();
const paths: [string, NativeAddon | undefined][] = [["JavaScript", undefined], ["native", addon]];

describe.each(paths)("unitStats (%s loops)", (name, native) => {
  const unitStats = (q: Uint8Array, r: Parameters<typeof stats>[1]) => stats(q, r, native as Parameters<typeof stats>[2]);
  const byteHistogram = (q: Uint8Array) => histogram(q, native as Parameters<typeof histogram>[1]);
  if (name === "native" && !native) it.skip("the native addon is not built here", () => {});
  if (name === "native" && !native) return;
  it("agrees with direct computation on the dequantized values", () => {
    const rng = new Random(2);
    const r = kindRange("c");
    const q = Uint8Array.from({ length: 5000 }, () => quantize(Math.tanh(rng.uniform(-2, 2)), r));
    const v = Array.from(q, (b) => -1 + (b / 255) * 2);
    const s = unitStats(q, r);
    const mean = v.reduce((a, b) => a + b) / v.length;
    expect(s.mean).toBeCloseTo(mean, 10);
    expect(s.std).toBeCloseTo(Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length), 10);
    expect(s.min).toBeCloseTo(Math.min(...v), 10);
    expect(s.max).toBeCloseTo(Math.max(...v), 10);
    const sorted = [...v].sort((a, b) => a - b);
    expect(s.quantiles[3]).toBeCloseTo(sorted[Math.floor(0.5 * (v.length - 1)) + 1] ?? sorted[2500], 1);
    expect(s.histogram.reduce((a, b) => a + b)).toBe(5000);
    // Top positions: the TOP_K largest values, highest first.
    expect(s.top.length).toBe(TOP_K);
    const want = [...q.keys()].sort((a, b) => q[b] - q[a] || a - b).slice(0, TOP_K);
    // The positions themselves: ties in text order (tanh(±2) saturates, so many bytes tie at the ends).
    expect(s.top).toEqual(want);
    expect(s.bottom).toEqual([...q.keys()].sort((a, b) => q[a] - q[b] || a - b).slice(0, TOP_K));
  });
  it("finds the extremes of short and quiet units too (thresholds that cross, bytes crowding them)", () => {
    const rng = new Random(4);
    const cases = [
      Uint8Array.from({ length: 60 }, () => Math.floor(rng.next() * 256)),
      Uint8Array.from({ length: 20 }, () => Math.floor(rng.next() * 4)),
      Uint8Array.from({ length: 20000 }, () => 126 + Math.floor(rng.next() * 4)),
    ];
    for (const q of cases) {
      const s = unitStats(q, kindRange("h"));
      const k = Math.min(TOP_K, q.length);
      expect(s.top, `top of ${q.length}`).toEqual([...q.keys()].sort((a, b) => q[b] - q[a] || a - b).slice(0, k));
      expect(s.bottom, `bottom of ${q.length}`).toEqual([...q.keys()].sort((a, b) => q[a] - q[b] || a - b).slice(0, k));
    }
  });
  it("counts every byte into the histogram, whatever the length's remainder by four", () => {
    const rng = new Random(3);
    for (const n of [0, 1, 2, 3, 4, 5, 1001, 1002, 1003]) {
      const q = Uint8Array.from({ length: n }, () => Math.floor(rng.next() * 256));
      const naive = new Uint32Array(256);
      for (const b of q) naive[b]++;
      expect([...byteHistogram(q)], String(n)).toEqual([...naive]);
    }
  });
  it("reads bytes of a SharedArrayBuffer (a record window's) the same as a plain array's", () => {
    const rng = new Random(5);
    const plain = Uint8Array.from({ length: 70_001 }, () => 100 + Math.floor(rng.next() * 50));
    plain[12345] = 255;
    plain[54321] = 0;
    const shared = new Uint8Array(new SharedArrayBuffer(plain.length + 10)).subarray(3, 3 + plain.length);
    shared.set(plain);
    const s = unitStats(shared, kindRange("c"));
    expect(s).toEqual(unitStats(plain, kindRange("c")));
    expect(s.top[0]).toBe(12345);
    expect(s.bottom[0]).toBe(54321);
  });
  it("handles a flat unit (every value the same) without scanning a sort of everything", () => {
    const q = new Uint8Array(100_000).fill(7);
    const s = unitStats(q, kindRange("f"));
    expect(s.std).toBe(0);
    expect(s.top).toEqual([...Array(TOP_K).keys()]);
    expect(s.satLeft).toBe(1);
  });
});
