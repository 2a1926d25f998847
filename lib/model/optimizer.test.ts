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
