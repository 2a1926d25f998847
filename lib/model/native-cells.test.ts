import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { tf, initBackend } from "./backend.ts";
import { CELLS } from "./cells.ts";
import type { RecurrentCell } from "./cell.ts";
import { hasNativeCells, setNativeCells } from "./native-cells.ts";
import { loadNativeAddon } from "./native-addon.ts";
import { Random } from "./random.ts";

const rng = new Random(5);
const tensor = (shape: number[], lo = -1, hi = 1) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(lo, hi)), shape);

/** max |a − b| / max |b| */
function relErr(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-12, tf.max(tf.abs(b)).dataSync()[0]));
}

/** Forward with every recorded kind and the tape, then backward, on the path `native` picks: everything that comes out, by name. */
function run(cell: RecurrentCell<unknown>, native: boolean, inp: { pre: tf.Tensor2D; Wh: tf.Tensor2D; extra: Record<string, tf.Tensor>; state: Record<string, tf.Tensor2D>; dh: tf.Tensor2D }, steps: number) {
  setNativeCells(native);
  const series = cell.records.filter((k) => k !== "h");
  const out = cell.forward(inp.pre, { Wh: inp.Wh, extra: inp.extra }, inp.state, steps, { tape: true, series });
  const g = cell.backward(out.tape, inp.dh);
  const named: Record<string, tf.Tensor> = { h: out.h, dPre: g.dPre, dWh: g.dWh };
  for (const [k, v] of Object.entries(out.state)) named[`state.${k}`] = v;
  for (const [k, v] of Object.entries(out.series ?? {})) named[`series.${k}`] = v;
  for (const [k, v] of Object.entries(g.dExtra ?? {})) named[`d${k}`] = v;
  return named;
}

beforeAll(async () => {
  await initBackend("wasm");
});
afterEach(() => setNativeCells(true));

describe("the native recurrences", () => {
  it("are installed wherever the native product is", () => {
    if (!loadNativeAddon().addon) return;
    expect(hasNativeCells()).toBe(true);
  });

  // [T, B, H]: one step, one stream, odd sizes (vector tails), and a training step's per-worker size.
  const cases: [number, number, number][] = [[1, 1, 8], [7, 3, 5], [13, 4, 37], [25, 50, 256]];
  for (const [name, cell] of Object.entries(CELLS)) {
    for (const [T, B, H] of cases) {
      it(`${name}: give the tfjs ops' outputs, state, series and gradients (T ${T}, B ${B}, H ${H})`, () => {
        if (!loadNativeAddon().addon) return;
        tf.tidy(() => {
          const G = cell.gates * H;
          // Pre-activations up to ±4 (saturating and not), recurrent weights large enough to matter, a random state.
          const inp = {
            pre: tensor([T * B, G], -4, 4) as tf.Tensor2D,
            Wh: tensor([H, G], -2 / Math.sqrt(H), 2 / Math.sqrt(H)) as tf.Tensor2D,
            extra: Object.fromEntries(Object.entries(cell.extraParams ?? {}).map(([k, p]) => [k, tensor(p.shape(H), -0.5, 0.5)])),
            state: Object.fromEntries(cell.state.map((k) => [k, tensor([B, H], k === "h" ? -0.5 : -2, k === "h" ? 0.5 : 2) as tf.Tensor2D])),
            dh: tensor([T * B, H]) as tf.Tensor2D,
          };
          const ops = run(cell, false, inp, T);
          const nat = run(cell, true, inp, T);
          expect(Object.keys(nat).sort()).toEqual(Object.keys(ops).sort());
          for (const k of Object.keys(ops)) {
            expect(nat[k].shape, k).toEqual(ops[k].shape);
            expect(relErr(nat[k], ops[k]), k).toBeLessThan(3e-5);
          }
        });
      });
    }

    it(`${name}: without the tape keeps nothing but what it returns`, () => {
      if (!loadNativeAddon().addon) return;
      const [T, B, H] = [9, 2, 16];
      tf.tidy(() => {
        const pre = tensor([T * B, cell.gates * H], -3, 3) as tf.Tensor2D, Wh = tensor([H, cell.gates * H], -0.3, 0.3) as tf.Tensor2D;
        const extra = Object.fromEntries(Object.entries(cell.extraParams ?? {}).map(([k, p]) => [k, tensor(p.shape(H))]));
        const state = Object.fromEntries(cell.state.map((k) => [k, tensor([B, H]) as tf.Tensor2D]));
        setNativeCells(false);
        const ops = cell.forward(pre, { Wh, extra }, state, T, {});
        setNativeCells(true);
        const before = tf.memory().numTensors;
        const nat = cell.forward(pre, { Wh, extra }, state, T, {});
        // h and each state part: whatever else the kernel wrote was disposed.
        expect(tf.memory().numTensors - before).toBe(1 + cell.state.length);
        expect(relErr(nat.h, ops.h)).toBeLessThan(3e-5);
        for (const k of cell.state) expect(relErr(nat.state[k], ops.state[k]), k).toBeLessThan(3e-5);
      });
    });
  }

  it("reject arrays shorter than their shapes instead of reading past them", () => {
    const { addon } = loadNativeAddon();
    if (!addon?.lstmForward || !addon.lstmBackward || !addon.gruForward || !addon.rnnBackward) return;
    const f = (n: number) => new Float32Array(n);
    // T 2, B 1, H 2: the LSTM's pre needs 16 floats, its S with keepS 16; the GRU's bhn 2.
    expect(() => addon.lstmForward!(f(15), f(16), f(2), f(2), f(16), f(4), f(4), f(4), 2, 1, 2, 1)).toThrow(/shorter than its shape/);
    expect(() => addon.lstmForward!(f(16), f(16), f(2), f(2), f(8), f(4), f(4), f(4), 2, 1, 2, 1)).toThrow(/shorter than its shape/);
    expect(() => addon.lstmBackward!(f(16), f(4), f(4), f(2), f(4), f(16), f(15), 2, 1, 2)).toThrow(/shorter than its shape/);
    expect(() => addon.gruForward!(f(12), f(12), f(1), f(2), f(4), f(4), f(4), f(4), f(4), 2, 1, 2)).toThrow(/shorter than its shape/);
    expect(() => addon.rnnBackward!(f(4), f(4), f(4), f(3), 2, 1, 2)).toThrow(/shorter than its shape/);
    expect(() => addon.rnnBackward!(f(4), f(4), f(4), f(4), 2, 1)).toThrow(/expected 7 arguments/);
  });
});
