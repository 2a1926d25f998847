/**
 * Runs with units held: with nothing held they compute what the fast path
 * (runStreams) computes, and with units held they match a float64 loop written
 * here (the cell's equations in plain JavaScript, one stream at a time, the
 * held entries overwritten as the step computes them), for every cell.
 */
import { describe, expect, it } from "vitest";
import { initBackend } from "./backend.ts";
import { CELLS } from "./cells.ts";
import type { Hold, RecurrentCell } from "./cell.ts";
import { checkHolds, runWithHeld, type HeldUnit } from "./hold.ts";
import { initParams, toNamed, type Params } from "./params.ts";
import { Random } from "./random.ts";
import { f64Ops } from "./reference.ts";
import { runStreams } from "./run-streams.ts";
import type { UnitKind } from "./unit-kinds.ts";

await initBackend("wasm");

const cfg = (cell: string) => ({ cell, layers: 2, hidden: 12, vocabSize: 9, dropout: 0 });

/** The same network in float64, one stream at a time: −log p(next) for [start, end). */
function heldF64(cell: RecurrentCell<unknown>, params: Params, ids: Int32Array, start: number, end: number, held: HeldUnit[], len: number, warm: number): Float64Array {
  const w = Object.fromEntries(Object.entries(toNamed(params as never)).map(([k, t]) => [k, Float64Array.from((t as { dataSync(): Float32Array }).dataSync())]));
  const L = params.layers.length, H = params.layers[0].Wh.shape[0], V = params.Wy.shape[1], G = cell.gates;
  const out = new Float64Array(end - start).fill(NaN);
  for (let s0 = start; s0 < end; s0 += len) {
    const st = Array.from({ length: L }, () => Object.fromEntries(cell.state.map((k) => [k, new Float64Array(H)])));
    for (let t = 0; t < warm + len; t++) {
      const p = Math.min(Math.max(0, s0 - warm + t), ids.length - 1);
      let x = new Float64Array(V);
      x[ids[p]] = 1;
      for (let l = 0; l < L; l++) {
        const Wx = w[`rnn.${l}.Wx`], Wh = w[`rnn.${l}.Wh`], b = w[`rnn.${l}.b`];
        const z = Float64Array.from(b), a = new Float64Array(G * H);
        for (let d = 0; d < x.length; d++) for (let j = 0; j < G * H; j++) z[j] += x[d] * Wx[d * G * H + j];
        for (let d = 0; d < H; d++) for (let j = 0; j < G * H; j++) a[j] += st[l].h[d] * Wh[d * G * H + j];
        const blocks = (v: Float64Array) => Array.from({ length: G }, (_, k) => v.subarray(k * H, (k + 1) * H));
        const extra = Object.fromEntries(Object.keys(cell.extraParams ?? {}).map((e) => [e, w[`rnn.${l}.${e}`]]));
        const hold = (<V,>(kind: UnitKind, v: V): V => {
          const mine = held.filter((u) => u.layer === l && u.kind === kind);
          if (!mine.length) return v;
          const c = Float64Array.from(v as unknown as Float64Array);
          for (const u of mine) c[u.index] = cell.holds[kind]!(u.value);
          return c as unknown as V;
        }) as Hold;
        Object.assign(st[l], cell.reference(f64Ops, blocks(z), blocks(a), st[l], extra, hold).state);
        x = st[l].h;
      }
      const q = s0 + t - warm;
      if (t < warm || q >= end || q + 1 >= ids.length) continue;
      const logits = Float64Array.from(w["out.by"]);
      for (let d = 0; d < H; d++) for (let v = 0; v < V; v++) logits[v] += x[d] * w["out.Wy"][d * V + v];
      const m = Math.max(...logits);
      out[q - start] = m + Math.log(logits.reduce((acc, y) => acc + Math.exp(y - m), 0)) - logits[ids[q + 1]];
    }
  }
  return out;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i])));

describe.each(Object.keys(CELLS))("a %s run with units held", (name) => {
  const cell = CELLS[name];
  const params = initParams(cfg(name), 3, "uniform:0.5");
  const rng = new Random(11);
  const ids = Int32Array.from({ length: 300 }, () => Math.floor(rng.next() * 9));
  const [start, end, len, warmup] = [40, 240, 50, 30];

  it("holds nothing: the fast path's losses, stream for stream", async () => {
    const fast = new Float32Array(end - start);
    await runStreams(cell, params, ids, start, end, { streams: 4, steps: 25, warmup }, (c) => fast.set(c.nll, c.start - start));
    const { free, held } = runWithHeld(cell, params, ids, start, end, [], { len, warmup });
    expect(maxDiff(free, fast)).toBeLessThan(1e-5);
    expect(Array.from(held)).toEqual(Array.from(free));
    expect(maxDiff(free, heldF64(cell, params, ids, start, end, [], len, warmup))).toBeLessThan(1e-4);
  });

  it("holds a unit in each layer: the float64 loop's losses, and not the free run's", () => {
    const held: HeldUnit[] = Object.keys(cell.holds).flatMap((kind, k) => [
      { kind: kind as UnitKind, layer: 0, index: 3 + k, value: 0.7 },
      { kind: kind as UnitKind, layer: 1, index: 5 + k, value: -0.9 },
    ]);
    const run = runWithHeld(cell, params, ids, start, end, held, { len, warmup });
    expect(maxDiff(run.held, heldF64(cell, params, ids, start, end, held, len, warmup))).toBeLessThan(1e-4);
    expect(maxDiff(run.free, heldF64(cell, params, ids, start, end, [], len, warmup))).toBeLessThan(1e-4);
    expect(maxDiff(run.held, run.free)).toBeGreaterThan(1e-2);
  });

  it("holds a unit of the top layer only: the layer below runs once, and the float64 loop agrees", () => {
    const kind = Object.keys(cell.holds)[0] as UnitKind;
    const held: HeldUnit[] = [{ kind, layer: 1, index: 2, value: 0.3 }];
    const run = runWithHeld(cell, params, ids, start, end, held, { len, warmup });
    expect(maxDiff(run.held, heldF64(cell, params, ids, start, end, held, len, warmup))).toBeLessThan(1e-4);
    expect(maxDiff(run.held, run.free)).toBeGreaterThan(1e-3);
  });
});

describe.each(Object.keys(CELLS))("a %s's free run kept for the next knock-out", (name) => {
  const cell = CELLS[name];
  const params = initParams(cfg(name), 4, "uniform:0.5");
  const rng = new Random(12);
  const ids = Int32Array.from({ length: 300 }, () => Math.floor(rng.next() * 9));
  const [start, end, len, warmup] = [40, 240, 50, 30];

  it("gives another unit's knock-out over the same stretch exactly as a run from scratch, and is ignored for another stretch", () => {
    const kind = Object.keys(cell.holds)[0] as UnitKind;
    const first = runWithHeld(cell, params, ids, start, end, [{ kind, layer: 1, index: 2, value: 0 }], { len, warmup, keepFree: true });
    expect(first.freeRun!.outputs).toHaveLength(1); // layer 0's output, the input of layer 1
    for (const u of [{ kind, layer: 0, index: 5, value: 0.4 }, { kind, layer: 1, index: 7, value: -0.5 }]) {
      const warm = runWithHeld(cell, params, ids, start, end, [u], { len, warmup, free: first.freeRun });
      const cold = runWithHeld(cell, params, ids, start, end, [u], { len, warmup });
      expect(maxDiff(warm.held, cold.held)).toBeLessThan(1e-6);
      expect(Array.from(warm.free)).toEqual(Array.from(first.free));
      expect(maxDiff(warm.held, warm.free)).toBeGreaterThan(1e-3);
    }
    const elsewhere = runWithHeld(cell, params, ids, start + 10, end, [{ kind, layer: 1, index: 7, value: -0.5 }], { len, warmup, free: first.freeRun });
    const fresh = runWithHeld(cell, params, ids, start + 10, end, [{ kind, layer: 1, index: 7, value: -0.5 }], { len, warmup });
    expect(maxDiff(elsewhere.free, fresh.free)).toBeLessThan(1e-6);
    first.freeRun!.outputs.forEach((t) => t.dispose());
  });
});

describe("what can be held", () => {
  it("refuses kinds a cell does not hold, units a model lacks and values that are not numbers", () => {
    expect(() => checkHolds(CELLS.lstm, 2, 12, [{ kind: "i", layer: 0, index: 1, value: 0 }])).toThrow(/a lstm cannot hold i units \(it holds c and h\)/);
    expect(() => checkHolds(CELLS.gru, 2, 12, [{ kind: "h", layer: 2, index: 1, value: 0 }])).toThrow(/no unit h:2:1 in a 2×12 model/);
    expect(() => checkHolds(CELLS.rnn, 2, 12, [{ kind: "h", layer: 0, index: 1, value: NaN }])).toThrow(/must be a number/);
    expect(() => checkHolds(CELLS.lstm, 2, 12, [{ kind: "c", layer: 1, index: 11, value: 1 }])).not.toThrow();
  });
});
