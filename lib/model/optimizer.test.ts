import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend.ts";
import { applyUpdate, clipGradients, initOptimizerState, OptimizerConfig } from "./optimizer.ts";

beforeAll(async () => {
  await initBackend("wasm");
});

describe("Adagrad", () => {
  it("is min-char-rnn's update: cache += g², w −= lr·g/√(cache + 1e-8), step after step", () => {
    const cfg = OptimizerConfig.parse({ kind: "adagrad", lr: 0.1 });
    let w = { x: tf.tensor1d([0.5, -1, 2]) } as Record<string, tf.Tensor>;
    let state = initOptimizerState(w);
    const grads = [
      [0.3, -2, 0],
      [-0.1, 1, 4],
    ];
    // By hand, in float64.
    const want = [0.5, -1, 2];
    const cache = [0, 0, 0];
    for (const g of grads) {
      g.forEach((gi, i) => {
        cache[i] += gi * gi;
        want[i] -= (0.1 * gi) / Math.sqrt(cache[i] + 1e-8);
      });
      const u = applyUpdate(cfg, cfg.lr, w, { x: tf.tensor1d(g) }, state);
      w = u.weights;
      state = u.state;
    }
    const got = Array.from(w.x.dataSync());
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    Array.from(state.v.x.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(cache[i], 6));
    expect(state.step).toBe(2);
  });
});

describe("clipping", () => {
  const grads = () => ({ a: tf.tensor1d([3, -40, 0.5]), b: tf.tensor1d([4]) });
  it("by norm scales every gradient by one factor so the global norm is at most clip", () => {
    const g = clipGradients(OptimizerConfig.parse({ clip: 5 }), grads());
    // ‖g‖ = √(9 + 1600 + 0.25 + 16) = √1625.25: every element shrinks by the same factor.
    const f = 5 / Math.sqrt(1625.25);
    Array.from(g.a.dataSync()).forEach((v, i) => expect(v).toBeCloseTo([3, -40, 0.5][i] * f, 5));
    expect(g.b.dataSync()[0]).toBeCloseTo(4 * f, 5);
  });
  it("by value clamps each element to [−clip, clip] and leaves the others as they are (min-char-rnn's np.clip)", () => {
    const g = clipGradients(OptimizerConfig.parse({ clip: 5, clipMode: "value" }), grads());
    expect(Array.from(g.a.dataSync())).toEqual([3, -5, 0.5]);
    expect(Array.from(g.b.dataSync())).toEqual([4]);
  });
});

describe("weights held twice (PyTorch's b_ih + b_hh)", () => {
  it("moves b as two copies stepping on their own would move their sum, and counts both in the clipping norm", () => {
    for (const kind of ["rmsprop", "adam"] as const) {
      const cfg = OptimizerConfig.parse({ kind, lr: 0.01, clip: 1 });
      // Cellscope's single b with copies [2, 2, 1]; the twin: b1 + b2 on the first two elements, one weight on the last.
      let one = { b: tf.tensor1d([0.2, -0.4, 0.1]), w: tf.tensor1d([1, 2]) } as Record<string, tf.Tensor>;
      let twin = { b1: tf.tensor1d([0.1, -0.2]), b2: tf.tensor1d([0.1, -0.2]), b3: tf.tensor1d([0.1]), w: tf.tensor1d([1, 2]) } as Record<string, tf.Tensor>;
      const copies = { b: tf.tensor1d([2, 2, 1]) };
      let s1 = initOptimizerState(one);
      let s2 = initOptimizerState(twin);
      for (const g of [[0.5, -3, 0.2, 0.1, -0.4], [2, 1, -1, 0.3, 0.3], [-0.1, 0.2, 0.05, -2, 1]]) {
        const g1 = clipGradients(cfg, { b: tf.tensor1d(g.slice(0, 3)), w: tf.tensor1d(g.slice(3)) }, copies);
        const g2 = clipGradients(cfg, { b1: tf.tensor1d(g.slice(0, 2)), b2: tf.tensor1d(g.slice(0, 2)), b3: tf.tensor1d([g[2]]), w: tf.tensor1d(g.slice(3)) });
        const u1 = applyUpdate(cfg, cfg.lr, one, g1, s1, copies);
        const u2 = applyUpdate(cfg, cfg.lr, twin, g2, s2);
        [one, s1, twin, s2] = [u1.weights, u1.state, u2.weights, u2.state];
        const sum = [...tf.add(twin.b1, twin.b2).dataSync(), ...twin.b3.dataSync()];
        Array.from(one.b.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(sum[i], 6));
        Array.from(one.w.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(twin.w.dataSync()[i], 6));
      }
      // Held once, the bias takes half the step (the test would pass trivially if copies did nothing).
      const plain = applyUpdate(cfg, cfg.lr, { b: tf.tensor1d([0]) }, { b: tf.tensor1d([1]) }, initOptimizerState({ b: tf.tensor1d([0]) }));
      const doubled = applyUpdate(cfg, cfg.lr, { b: tf.tensor1d([0]) }, { b: tf.tensor1d([1]) }, initOptimizerState({ b: tf.tensor1d([0]) }), { b: tf.tensor1d([2]) });
      expect(doubled.weights.b.dataSync()[0]).toBeCloseTo(2 * plain.weights.b.dataSync()[0], 6);
    }
  });
});
