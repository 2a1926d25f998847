/**
 * Select and match, checked by a plain set-based computation: Jaccard per
 * character from explicit sets of (unit, sign), on units made to fire in a
 * known pattern.
 */
import { describe, expect, it } from "vitest";
import { quantize } from "../store/quantize.ts";
import { countOn, matchSpan } from "./match-span.ts";
import type { UnitSeries } from "./rank.ts";

const TANH = { lo: -1, hi: 1 };
const GATE = { lo: 0, hi: 1 };
const N = 60;
/** A unit from per-character values. */
function unit(id: string, values: (t: number) => number): UnitSeries {
  const r = id.startsWith("i") ? GATE : TANH;
  const q = Uint8Array.from({ length: N }, (_, t) => quantize(values(t), r));
  return { unit: id, q, hist: new Uint32Array(256), sumQ: 0, sumQ2: 0 };
}
// The pattern: characters 10–14 and 40–44 (and 30–31 half of it).
const on = (t: number) => (t >= 10 && t < 15) || (t >= 40 && t < 45);
const series = [
  unit("c:0:0", (t) => (on(t) ? 0.9 : 0)),
  unit("c:0:1", (t) => (on(t) ? -0.95 : 0.1)),
  unit("h:0:0", (t) => (on(t) || t === 30 || t === 31 ? 0.8 : -0.1)),
  unit("i:0:0", (t) => (on(t) ? 0.99 : 0.5)),
  // On before the span too: left out.
  unit("h:0:1", (t) => (t >= 5 && t < 15 ? 0.9 : 0)),
  // On at most characters: left out of every set.
  unit("h:0:2", (t) => (t < 45 ? 0.99 : 0)),
];

describe("select and match", () => {
  it("selects the units on throughout the span and off just before it, with their sign", () => {
    const r = matchSpan(series, countOn(series, 0.7, N), { start: 10, end: 15 }, { threshold: 0.7 });
    expect(r.selected).toEqual([
      { unit: "c:0:0", sign: 1 },
      { unit: "c:0:1", sign: -1 },
      { unit: "h:0:0", sign: 1 },
      { unit: "i:0:0", sign: 1 },
    ]);
    expect(r.onBefore).toBe(1);
    expect(r.alwaysOn).toBe(1);
  });

  it("gives each character the Jaccard of the sets, and the other occurrence as the best match", () => {
    const r = matchSpan(series, countOn(series, 0.7, N), { start: 10, end: 15 }, { threshold: 0.7, minJaccard: 0.3 });
    // The reference: explicit sets.
    const S = new Set(["c:0:0+", "c:0:1-", "h:0:0+", "i:0:0+"]);
    for (let t = 0; t < N; t++) {
      const O = new Set<string>();
      for (const s of series.filter((x) => x.unit !== "h:0:2")) {
        const v = (s.q[t] / 255) * (s.unit.startsWith("i") ? 1 : 2) + (s.unit.startsWith("i") ? 0 : -1);
        if (v >= 0.7 - 1e-9) O.add(`${s.unit}+`);
        if (!s.unit.startsWith("i") && v <= -0.7 + 1e-9) O.add(`${s.unit}-`);
      }
      const inter = [...S].filter((x) => O.has(x)).length;
      expect(r.jaccard[t]).toBeCloseTo(inter / (S.size + O.size - inter), 6);
    }
    expect(r.matches[0]).toMatchObject({ start: 40, end: 45 });
    expect(r.matches[0].meanJaccard).toBeCloseTo(1, 6);
    // 30–31: one of the four selected units on, and nothing else counted: J = 1/4 < 0.3.
    expect(r.matches.some((m) => m.start === 30)).toBe(false);
    expect(matchSpan(series, countOn(series, 0.7, N), { start: 10, end: 15 }, { threshold: 0.7, minJaccard: 0.2 }).matches.map((m) => m.start)).toEqual([40, 30]);
  });

  it("by default, matches reach 60% of the span's own Jaccard", () => {
    const r = matchSpan(series, countOn(series, 0.7, N), { start: 10, end: 15 }, { threshold: 0.7 });
    // In the span, h:0:1 is on too (it is left out of the set for being on just before): J = 4/5 there.
    expect(r.spanJaccard).toBeCloseTo(0.8, 6);
    expect(r.minJaccard).toBeCloseTo(0.48, 6);
    expect(r.matches.map((m) => m.start)).toEqual([40]);
  });

  it("selects nothing when no unit is on throughout", () => {
    const r = matchSpan(series, countOn(series, 0.7, N), { start: 0, end: 40 }, { threshold: 0.7 });
    expect(r.selected.map((s) => s.unit)).toEqual([]);
    expect(r.matches).toEqual([]);
  });
});
