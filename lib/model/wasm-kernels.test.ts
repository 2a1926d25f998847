import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend.ts";

/** Runs `f` on the wasm backend (with Cellscope's kernels) and on the reference cpu backend. */
async function both(f: () => tf.Tensor | tf.Tensor[]) {
  const run = () => {
    const r = f();
    return (Array.isArray(r) ? r : [r]).map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
  };
  await tf.setBackend("wasm");
  const w = run();
  await tf.setBackend("cpu");
  const c = run();
  await tf.setBackend("wasm");
  return { w, c };
}

beforeAll(async () => {
  await initBackend("wasm");
});

describe("fast wasm kernels agree with the cpu backend", () => {
  const x3 = () => tf.tensor3d(Array.from({ length: 60 }, (_, i) => i * 1.5 - 7), [3, 4, 5]);
  it("slice: contiguous rows, columns, and a 3-D block", async () => {
    for (const [begin, size] of [
      [[1, 0, 0], [2, 4, 5]],
      [[0, 1, 2], [3, 2, 3]],
      [[2, 3, 4], [1, 1, 1]],
      [[0, 0, 0], [3, 4, 0]],
    ] as [number[], number[]][]) {
      const { w, c } = await both(() => tf.slice(x3(), begin, size));
      expect(w).toEqual(c);
    }
  });
  it("split along columns and rows", async () => {
    const m = () => tf.tensor2d(Array.from({ length: 48 }, (_, i) => i), [6, 8]);
    for (const axis of [0, 1]) {
      const { w, c } = await both(() => tf.split(m(), axis === 0 ? [1, 2, 3] : 4, axis));
      expect(w).toEqual(c);
    }
  });
  it("gather of rows, with repeats, and its error on a bad index", async () => {
    const m = () => tf.tensor2d(Array.from({ length: 12 }, (_, i) => i), [4, 3]);
    const { w, c } = await both(() => tf.gather(m(), tf.tensor1d([3, 0, 3, 1], "int32")));
    expect(w).toEqual(c);
    expect(() => tf.gather(m(), tf.tensor1d([4], "int32"))).toThrow(/not in \[0, 3\]/);
  });
  it("unsortedSegmentSum adds rows that share a segment", async () => {
    const { w, c } = await both(() =>
      tf.unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]), tf.tensor1d([2, 0, 2, 2], "int32"), 3),
    );
    expect(w).toEqual(c);
    expect(w[0].values).toEqual([3, 4, 0, 0, 1 + 5 + 7, 2 + 6 + 8]);
  });
});

describe("the fused LSTM step (inference on wasm)", () => {
  it("gives the plain ops' h, tanh(c) and state over many steps, batch and a single stream alike", async () => {
    const { lstm } = await import("./lstm.ts");
    const { hasFusedLstmStep } = await import("./wasm-kernels.ts");
    expect(hasFusedLstmStep()).toBe(true);
    const H = 32;
    for (const [B, T] of [[2, 40], [1, 25]]) { // the fused step runs at one or two streams (lstm.ts)
      let seed = 5;
      const rand = (n: number, s: number) => Array.from({ length: n }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * s);
      const pre = rand(T * B * 4 * H, 4), Wh = rand(H * 4 * H, 1.2), h0 = rand(B * H, 1), c0 = rand(B * H, 3);
      const { w, c } = await both(() => {
        const out = lstm.forward(tf.tensor2d(pre, [T * B, 4 * H]), { Wh: tf.tensor2d(Wh, [H, 4 * H]) }, { h: tf.tensor2d(h0, [B, H]), c: tf.tensor2d(c0, [B, H]) }, T, { series: ["c"] });
        return [out.h, out.series!.c, out.state.h, out.state.c];
      });
      w.forEach((x, k) => {
        expect(x.shape).toEqual(c[k].shape);
        const worst = Math.max(...x.values.map((v, i) => Math.abs(v - c[k].values[i])));
        expect(worst).toBeLessThan(2e-5);
      });
    }
  });
});
