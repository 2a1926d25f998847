import { describe, expect, it } from "vitest";
import { makeMasks, maskRows } from "./network.ts";
import { Random, runDraws } from "./random.ts";
import { loadNativeAddon } from "./native-addon.ts";

describe("random-access draws", () => {
  it("runDraws(state, k0, n) thresholds next() calls k0 + 1 … k0 + n, and skip(n) lands where n next() calls do", () => {
    for (const seed of [0, 1, 12345, 0xffffffff]) {
      const r = new Random(seed);
      const drawn = Array.from({ length: 1000 }, () => r.next());
      for (const p of [0.1, 0.5, drawn[500]]) {
        const out = new Float32Array(702);
        runDraws(seed, 300, 700, p, 7, out, 2);
        expect([...out.subarray(2)]).toEqual(drawn.slice(300).map((u) => (u < p ? 0 : 7)));
      }
      const s = new Random(seed);
      s.skip(1000);
      expect(s.state).toBe(r.state);
      expect(s.next()).toBe(r.next());
    }
  });

  it("makeMasks draws next() in layer, row, unit order; maskRows gives each stream range's rows of it, in the slice's time-major order", () => {
    const [layers, steps, batch, hidden, p] = [2, 5, 7, 6, 0.4];
    const rng = new Random(99);
    const start = rng.state;
    const whole = makeMasks(rng, layers, steps * batch, hidden, p)!.map((m) => m.arraySync());
    // The plain sequence of draws, one at a time.
    const after = new Random(99);
    const keep = Math.fround(1 / (1 - p));
    const expected = Array.from({ length: layers }, () => Array.from({ length: steps * batch }, () => Array.from({ length: hidden }, () => (after.next() < p ? 0 : keep))));
    expect(whole).toEqual(expected);
    expect(rng.state).toBe(after.state);
    // Some zeros and some kept values, or the comparison below means little.
    const flat = whole.flat(2);
    expect(flat.filter((v) => v === 0).length).toBeGreaterThan(flat.length * 0.25);
    expect(flat.filter((v) => v === 0).length).toBeLessThan(flat.length * 0.55);
    for (const [from, to] of [[0, 3], [3, 7], [6, 7]]) {
      const part = maskRows({ start, steps, batch, from, to }, layers, hidden, p).map((m) => m.arraySync());
      for (let l = 0; l < layers; l++)
        for (let t = 0; t < steps; t++)
          for (let s = from; s < to; s++) expect(part[l][t * (to - from) + s - from]).toEqual(whole[l][t * batch + s]);
    }
  });

  it("the native addon draws the same masks (native/dropout.c), wherever it is built", () => {
    const { addon } = loadNativeAddon();
    if (!addon?.dropoutRows) return;
    const rng = new Random(8);
    for (const [start, layer, steps, batch, from, to, hidden, p] of [
      [0, 0, 3, 5, 0, 5, 7, 0.1],
      [0xfffffff0, 2, 4, 7, 3, 6, 33, 0.5],
      [123456789, 1, 2, 100, 50, 100, 256, 0.25],
      [Math.floor(rng.next() * 2 ** 32), 0, 5, 3, 1, 2, 16, rng.next()],
    ]) {
      const keep = 1 / (1 - p);
      const got = new Float32Array(steps * (to - from) * hidden);
      addon.dropoutRows(got, start, layer, steps, batch, from, to, hidden, p, keep);
      const want = new Float32Array(got.length);
      for (let t = 0, o = 0; t < steps; t++)
        for (let s = from; s < to; s++, o += hidden) runDraws(start, (layer * steps * batch + t * batch + s) * hidden, hidden, p, keep, want, o);
      expect(got, `${start} ${layer} ${p}`).toEqual(want);
    }
    expect(() => addon.dropoutRows!(new Float32Array(10), 0, 0, 1, 4, 0, 4, 4, 0.1, 1.1)).toThrow(/shorter than its shape/);
    expect(() => addon.dropoutRows!(new Float32Array(16), 0, 0, 1, 4, 0, 4, 4, 1, 1)).toThrow(/p must be in/);
  });
});
