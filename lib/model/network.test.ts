import { beforeAll, describe, expect, it } from "vitest";
import { tf, initBackend } from "./backend.ts";
import { CELLS } from "./cells.ts";
import type { RecurrentCell } from "./cell.ts";
import { lossAndGrads, makeMasks, type Chunk } from "./network.ts";
import { initParams, mapParams, paramNames, toNamed, type Params } from "./params.ts";
import { Random } from "./random.ts";
import { referenceLossAndGrads, referenceLossF64 } from "./reference.ts";
import type { ModelConfig } from "./config.ts";

function randomChunk(rng: Random, V: number, T: number, B: number): Chunk {
  const inputs = new Int32Array(T * B).map(() => Math.floor(rng.next() * V));
  const targets = new Int32Array(T * B).map(() => Math.floor(rng.next() * V));
  return { inputs, targets, steps: T, batch: B };
}

/** A random state for every part the cell carries (h in the range of a tanh, the rest wider). */
function randomState(cell: RecurrentCell<unknown>, rng: Random, L: number, B: number, H: number) {
  return Array.from({ length: L }, () =>
    Object.fromEntries(cell.state.map((k) => [k, tf.tensor2d(Float32Array.from({ length: B * H }, () => (k === "h" ? rng.uniform(-0.5, 0.5) : rng.uniform(-1, 1))), [B, H])])),
  );
}

/**
 * Weights `scale` times the default init, and every bias (the cell's extra
 * ones included) random, so gates saturate differently and errors would show.
 */
function strongParams(cfg: ModelConfig, seed: number, scale: number): Params {
  const rng = new Random(seed + 100);
  return tf.tidy(() =>
    mapParams(initParams(cfg, seed) as Params<tf.Tensor, tf.Tensor>, (t, name) =>
      name.startsWith("rnn.") && !/\.W[xh]$/.test(name) ? tf.add(t, tf.tensor(Float32Array.from({ length: t.size }, () => rng.uniform(-0.5, 0.5)), t.shape)) : name.startsWith("rnn.") ? tf.mul(t, scale) : t,
    ) as unknown as tf.TensorContainer,
  ) as unknown as Params;
}

/** max |a − b| / max |b|: relative error of a whole tensor. */
function relErr(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-12, tf.max(tf.abs(b)).dataSync()[0]));
}

beforeAll(async () => {
  await initBackend("wasm");
});

describe("every registered cell", () => {
  it("is more than one (the tests below run over each)", () => {
    expect(Object.keys(CELLS).sort()).toEqual(["gru", "lstm", "rnn"]);
  });
});

for (const [cellName, cell] of Object.entries(CELLS)) {
  describe(`hand-written ${cellName} backward pass`, () => {
    const cases: [string, ModelConfig, number, number][] = [
      ["1 layer", { cell: cellName, layers: 1, hidden: 8, vocabSize: 7, dropout: 0 }, 5, 3],
      ["2 layers, dropout", { cell: cellName, layers: 2, hidden: 12, vocabSize: 9, dropout: 0.3 }, 6, 4],
      ["3 layers", { cell: cellName, layers: 3, hidden: 16, vocabSize: 5, dropout: 0.1 }, 4, 2],
      ["1 step", { cell: cellName, layers: 2, hidden: 8, vocabSize: 5, dropout: 0 }, 1, 3],
    ];
    for (const [name, cfg, T, B] of cases) {
      it(`matches tfjs autograd of the cell's equations to 1e-4 (${name})`, () => {
        const rng = new Random(42);
        const params = strongParams(cfg, 7, 5);
        const chunk = randomChunk(rng, cfg.vocabSize, T, B);
        const state = randomState(cell, rng, cfg.layers, B, cfg.hidden);
        const masks = makeMasks(rng, cfg.layers, T * B, cfg.hidden, cfg.dropout);
        const fast = lossAndGrads(cell, params, chunk, state, masks);
        const ref = referenceLossAndGrads(cell, params, chunk, state, masks);
        expect(relErr(fast.loss, ref.loss)).toBeLessThan(1e-4);
        const fg = toNamed(fast.grads as Params<tf.Tensor, tf.Tensor>);
        const rg = toNamed(ref.grads as Params<tf.Tensor, tf.Tensor>);
        expect(Object.keys(fg).sort()).toEqual(paramNames(cfg).sort());
        for (const k of paramNames(cfg)) {
          expect(fg[k].shape, k).toEqual(rg[k].shape);
          expect(relErr(fg[k], rg[k]), k).toBeLessThan(1e-4);
        }
        // The state carried on is the reference's too: the next chunk starts where this one ended.
        for (let l = 0; l < cfg.layers; l++) for (const k of cell.state) expect(fast.state[l][k].shape, `${l}.${k}`).toEqual([B, cfg.hidden]);
      });
    }

    it("agrees with central finite differences of a float64 reference (tiny model)", () => {
      const cfg: ModelConfig = { cell: cellName, layers: 2, hidden: 4, vocabSize: 3, dropout: 0 };
      const rng = new Random(3);
      const params = strongParams(cfg, 11, 10);
      const chunk = randomChunk(rng, cfg.vocabSize, 5, 2);
      const state = randomState(cell, rng, cfg.layers, 2, cfg.hidden);
      const { grads } = lossAndGrads(cell, params, chunk, state);
      const g = toNamed(grads as Params<tf.Tensor, tf.Tensor>);
      const named = toNamed(params as Params<tf.Tensor, tf.Tensor>);
      const w = Object.fromEntries(Object.entries(named).map(([k, t]) => [k, Float64Array.from(t.dataSync())]));
      const shapes = Object.fromEntries(Object.entries(named).map(([k, t]) => [k, t.shape]));
      const st = state.map((s) => Object.fromEntries(Object.entries(s).map(([k, t]) => [k, Float64Array.from(t.dataSync())])));
      const eps = 1e-5;
      for (const k of paramNames(cfg)) {
        const analytic = Array.from(g[k].dataSync());
        const numeric = analytic.map((_, j) => {
          const at = (delta: number) => {
            const v = w[k].slice();
            v[j] += delta;
            return referenceLossF64(cell, { ...w, [k]: v }, shapes, cfg.layers, chunk, st);
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
}

describe("the float64 reference", () => {
  it("is the cell's own loss: it moves when a weight the cell uses moves", () => {
    // Guards the finite-difference check above against a reference that ignores a weight (its gradient would be 0 both ways).
    for (const [cellName, cell] of Object.entries(CELLS)) {
      const cfg: ModelConfig = { cell: cellName, layers: 1, hidden: 4, vocabSize: 3, dropout: 0 };
      const params = strongParams(cfg, 5, 10);
      const named = toNamed(params as Params<tf.Tensor, tf.Tensor>);
      const w = Object.fromEntries(Object.entries(named).map(([k, t]) => [k, Float64Array.from(t.dataSync())]));
      const shapes = Object.fromEntries(Object.entries(named).map(([k, t]) => [k, t.shape]));
      const chunk = randomChunk(new Random(1), 3, 4, 1);
      const st = [Object.fromEntries(cell.state.map((k) => [k, new Float64Array(4).fill(0.3)]))];
      const base = referenceLossF64(cell, w, shapes, 1, chunk, st);
      for (const k of paramNames(cfg)) {
        const moved = referenceLossF64(cell, { ...w, [k]: w[k].map((x, i) => (i === 0 ? x + 0.5 : x)) }, shapes, 1, chunk, st);
        expect(Math.abs(moved - base), `${cellName} ${k}`).toBeGreaterThan(1e-6);
      }
    }
  });
});
