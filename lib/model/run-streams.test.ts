import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "./backend.ts";
import { CELLS } from "./cells.ts";
import { initParams } from "./params.ts";
import { pieceRow, runStreams } from "./run-streams.ts";
import { Random } from "./random.ts";
import * as tf from "@tensorflow/tfjs";

beforeAll(async () => {
  await initBackend("wasm");
});

describe("runStreams", () => {
  it("batched streams with warm-up give the same activations as one stream reading everything", async () => {
    const cfg = { cell: "lstm" as const, layers: 2, hidden: 16, vocabSize: 6, dropout: 0 };
    // Stronger weights than the init give the state a longer memory than a tiny random net has.
    const params = tf.tidy(() => {
      const p = initParams(cfg, 5);
      return { ...p, layers: p.layers.map((l) => ({ ...l, Wh: l.Wh.mul<tf.Tensor2D>(4), Wx: l.Wx.mul<tf.Tensor2D>(4) })) };
    });
    const rng = new Random(9);
    const ids = Int32Array.from({ length: 3000 }, () => Math.floor(rng.next() * 6));
    const start = 1200, end = 2600;
    const collect = async (streams: number, warmup: number) => {
      const c = new Float32Array((end - start) * 16);
      const nll = new Float32Array(end - start);
      const seen = new Uint8Array(end - start);
      await runStreams(CELLS.lstm, params, ids, start, end, { streams, warmup, steps: 37, series: ["c"], wantLayers: true }, (ch) => {
        for (let j = 0; j < ch.length; j++) c.set(pieceRow(ch, 1, "c", j), (ch.start - start + j) * 16);
        nll.set(ch.nll, ch.start - start);
        seen.fill(1, ch.start - start, ch.start - start + ch.length);
      });
      expect(seen.every((v) => v === 1)).toBe(true);
      return { c, nll };
    };
    // Reference: one stream that reads from the very beginning of the text.
    const single = await collect(1, start);
    const batched = await collect(7, 400);
    let maxDiff = 0;
    for (let i = 0; i < single.c.length; i++) maxDiff = Math.max(maxDiff, Math.abs(single.c[i] - batched.c[i]));
    expect(maxDiff).toBeLessThan(1e-3);
    const cold = await collect(7, 0);
    let coldDiff = 0;
    for (let i = 0; i < single.c.length; i++) coldDiff = Math.max(coldDiff, Math.abs(single.c[i] - cold.c[i]));
    // Without warm-up the stream starts differ visibly: the warm-up is what makes them agree.
    expect(coldDiff).toBeGreaterThan(1e-2);
    expect(Math.abs(single.nll.reduce((a, b) => a + b) - batched.nll.reduce((a, b) => a + b)) / single.nll.length).toBeLessThan(1e-4);
  });
});
