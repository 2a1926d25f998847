import { beforeAll, describe, expect, it } from "vitest";
import { tf, initBackend } from "./backend.ts";
import { CELLS } from "./cells.ts";
import { lossAndGrads, makeMasks, type Chunk } from "./network.ts";
import { initParams, paramNames, toNamed, type Params } from "./params.ts";
import { Random } from "./random.ts";
import { referenceLossAndGrads, referenceLossF64 } from "./reference.ts";
import type { ModelConfig } from "./config.ts";

const lstm = CELLS.lstm;

function randomChunk(rng: Random, V: number, T: number, B: number): Chunk {
  const inputs = new Int32Array(T * B).map(() => Math.floor(rng.next() * V));
  const targets = new Int32Array(T * B).map(() => Math.floor(rng.next() * V));
  return { inputs, targets, steps: T, batch: B };
}

function randomState(rng: Random, L: number, B: number, H: number) {
  return Array.from({ length: L }, () => ({
    h: tf.tensor2d(Float32Array.from({ length: B * H }, () => rng.uniform(-0.5, 0.5)), [B, H]),
    c: tf.tensor2d(Float32Array.from({ length: B * H }, () => rng.uniform(-1, 1)), [B, H]),
  }));
}

/** max |a − b| / max |b|: relative error of a whole tensor. */
function relErr(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-12, tf.max(tf.abs(b)).dataSync()[0]));
}

beforeAll(async () => {
  await initBackend("wasm");
});

describe("hand-written LSTM backward pass", () => {
  const cases: [string, ModelConfig, number, number][] = [
    ["1 layer", { cell: "lstm", layers: 1, hidden: 8, vocabSize: 7, dropout: 0 }, 5, 3],
    ["2 layers, dropout", { cell: "lstm", layers: 2, hidden: 12, vocabSize: 9, dropout: 0.3 }, 6, 4],
    ["3 layers", { cell: "lstm", layers: 3, hidden: 16, vocabSize: 5, dropout: 0.1 }, 4, 2],
  ];
  for (const [name, cfg, T, B] of cases) {
    it(`matches tfjs autograd (${name})`, () => {
      const rng = new Random(42);
      // Larger weights than the default init so gates saturate differently and errors would show.
      const params = tf.tidy(() => {
        const p = initParams(cfg, 7);
        return { ...p, layers: p.layers.map((l) => ({ Wx: l.Wx.mul(5), Wh: l.Wh.mul(5), b: l.b.add(0.1) })) } as unknown as tf.TensorContainer;
      }) as unknown as Params;
      const chunk = randomChunk(rng, cfg.vocabSize, T, B);
      const state = randomState(rng, cfg.layers, B, cfg.hidden);
      const masks = makeMasks(rng, cfg.layers, T * B, cfg.hidden, cfg.dropout);
      const fast = lossAndGrads(lstm, params, chunk, state, masks);
      const ref = referenceLossAndGrads(params, chunk, state, masks);
      expect(relErr(fast.loss, ref.loss)).toBeLessThan(1e-4);
      const fg = toNamed(fast.grads as Params<tf.Tensor, tf.Tensor>);
      const rg = toNamed(ref.grads as Params<tf.Tensor, tf.Tensor>);
      for (const k of paramNames(cfg.layers)) {
        expect(fg[k].shape, k).toEqual(rg[k].shape);
        expect(relErr(fg[k], rg[k]), k).toBeLessThan(1e-4);
      }
    });
  }

  it("agrees with central finite differences of a float64 reference (tiny model)", () => {
    const cfg: ModelConfig = { cell: "lstm", layers: 2, hidden: 4, vocabSize: 3, dropout: 0 };
    const rng = new Random(3);
    const params = tf.tidy(() => {
      const p = initParams(cfg, 11);
      return { ...p, layers: p.layers.map((l) => ({ Wx: l.Wx.mul(10), Wh: l.Wh.mul(10), b: l.b })) } as unknown as tf.TensorContainer;
    }) as unknown as Params;
    const chunk = randomChunk(rng, cfg.vocabSize, 5, 2);
    const state = randomState(rng, cfg.layers, 2, cfg.hidden);
    const { grads } = lossAndGrads(lstm, params, chunk, state);
    const g = toNamed(grads as Params<tf.Tensor, tf.Tensor>);
    const named = toNamed(params as Params<tf.Tensor, tf.Tensor>);
    const w = Object.fromEntries(Object.entries(named).map(([k, t]) => [k, Float64Array.from(t.dataSync())]));
    const shapes = Object.fromEntries(Object.entries(named).map(([k, t]) => [k, t.shape]));
    const st = state.map((s) => ({ h: Float64Array.from(s.h.dataSync()), c: Float64Array.from(s.c.dataSync()) }));
    const eps = 1e-5;
    for (const k of paramNames(cfg.layers)) {
      const analytic = Array.from(g[k].dataSync());
      const numeric = analytic.map((_, j) => {
        const at = (delta: number) => {
          const v = w[k].slice();
          v[j] += delta;
          return referenceLossF64({ ...w, [k]: v }, shapes, cfg.layers, chunk, st);
        };
        return (at(eps) - at(-eps)) / (2 * eps);
      });
      const diff = Math.hypot(...numeric.map((n, j) => n - analytic[j]));
      const size = Math.hypot(...numeric);
      expect(size, k).toBeGreaterThan(1e-5);
      expect(diff / size, k).toBeLessThan(1e-3);
    }
  });
});
