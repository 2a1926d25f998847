import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import type { Tensor, Tensor2D } from "@tensorflow/tfjs";
import { initBackend } from "../model/backend.ts";
import { cellByName } from "../model/cells.ts";
import { zeroState } from "../model/cell.ts";
import { referenceLoss } from "../model/reference.ts";
import { forward } from "../model/network.ts";
import { Random } from "../model/random.ts";
import { beamCaption, caption, captionChunk, captionerFromNamed, captionerNamed, captionerShapes, captionLossAndGrads, CaptionerConfig, initCaptioner } from "./captioner.ts";
import { conv3Reference, encode, encoderGrads, imagesTensor, initEncoder } from "./encoder.ts";
import { captionsOf, makeScenes, renderScene } from "./scenes.ts";
import { detokenize, END, tokenize, WORDS, wordIds } from "./words.ts";

beforeAll(async () => {
  await initBackend("wasm");
});

const scenes = makeScenes("train", 3, 5);

describe("the captioner's words", () => {
  it("cover every caption the grammar writes, and tokens join back into the caption", () => {
    for (const s of makeScenes("train", 200, 9))
      for (const c of captionsOf(s)) {
        expect(() => wordIds(c)).not.toThrow();
        expect(detokenize(tokenize(c))).toBe(c);
      }
    expect(WORDS[0]).toBe(END);
    expect(new Set(WORDS).size).toBe(WORDS.length);
  });
});

describe("the encoder", () => {
  it("gives the plain-ops convolution's features and gradients (conv2d forward, hand-written backward)", () => {
    const p = initEncoder(16, 4);
    const images = imagesTensor(scenes.slice(0, 2).map(renderScene));
    const rng = new Random(8);
    const dv = tf.tensor2d(Array.from({ length: 2 * 16 }, () => rng.uniform(-1, 1)), [2, 16]);
    const fast = encode(p, images).dataSync(), ref = encode(p, images, conv3Reference).dataSync();
    for (let i = 0; i < ref.length; i++) expect(Math.abs(fast[i] - ref[i])).toBeLessThan(1e-4);
    expect(Math.max(...Array.from(ref))).toBeGreaterThan(0); // some feature is on: gradients flow
    const gFast = encoderGrads(p, images, dv), gRef = encoderGrads(p, images, dv, conv3Reference);
    for (const name of Object.keys(p)) {
      const a = gFast[name].dataSync(), b = gRef[name].dataSync();
      const scale = Math.max(...Array.from(b, Math.abs));
      expect(scale, name).toBeGreaterThan(0);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
      expect(worst / scale, name).toBeLessThan(1e-4);
    }
  });
});

describe("the captioner's gradients", () => {
  for (const cellName of ["lstm", "gru", "rnn"]) {
    it(`agree with tfjs autograd of the plain equations, image path included (${cellName})`, () => {
      const cfg = CaptionerConfig.parse({ cell: cellName, layers: 2, hidden: 32, features: 8 });
      const m = initCaptioner(cfg, 3);
      // Larger weights than the init's, so every path carries gradient the check can see.
      const named = Object.fromEntries(Object.entries(captionerNamed(m)).map(([k, t]) => [k, tf.mul(t, 3)]));
      const model = captionerFromNamed(cfg, named);
      const images = imagesTensor(scenes.map(renderScene));
      const chunk = captionChunk(scenes.map((s) => captionsOf(s)[0]));
      const fast = tf.tidy(() => captionLossAndGrads(model, images, chunk));
      const names = Object.keys(named);
      const cell = cellByName(cellName);
      const ref = tf.valueAndGrads((...ws: Tensor[]) => {
        const mm = captionerFromNamed(cfg, Object.fromEntries(names.map((n, k) => [n, ws[k]])));
        const pre0 = tf.tile(tf.matMul(encode(mm.encoder, images), mm.Wv), [chunk.steps, 1]) as Tensor2D;
        const state = Array.from({ length: cfg.layers }, () => zeroState(cell, chunk.batch, cfg.hidden));
        return referenceLoss(cell, mm.decoder, chunk, state, undefined, pre0);
      })(names.map((n) => named[n]));
      expect(fast.loss.dataSync()[0]).toBeCloseTo(ref.value.dataSync()[0], 5);
      expect(Object.keys(fast.grads).sort()).toEqual([...names].sort());
      for (const [k, n] of names.entries()) {
        const a = fast.grads[n].dataSync(), b = ref.grads[k].dataSync();
        const scale = Math.max(1e-3, ...Array.from(b, Math.abs));
        let worst = 0;
        for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        expect(worst / scale, n).toBeLessThan(2e-3);
        // The image path must carry gradient, or the check says nothing about it.
        if (n === "img.Wv" || n === "cnn.W1") expect(scale, n).toBeGreaterThan(1e-6);
      }
    });
  }
});

describe("captions", () => {
  it("are words of the grammar, end at <end>, and report the five likeliest words at each step", () => {
    const cfg = CaptionerConfig.parse({ hidden: 32, features: 8 });
    const m = initCaptioner(cfg, 1);
    const images = imagesTensor(scenes.map(renderScene));
    const greedy = caption(m, images, { maxWords: 6 });
    const again = caption(m, images, { maxWords: 6 });
    expect(greedy).toEqual(again);
    for (const c of greedy) {
      expect(c.steps.length).toBeGreaterThan(0);
      expect(c.steps.length).toBeLessThanOrEqual(6);
      for (const s of c.steps) {
        expect(s.top).toHaveLength(5);
        // Greedy: the word taken is the likeliest.
        expect(s.word).toBe(s.top[0].word);
        for (let i = 1; i < 5; i++) expect(s.top[i].p).toBeLessThanOrEqual(s.top[i - 1].p);
      }
      expect(c.words).toEqual(c.steps.map((s) => s.word).filter((w) => w !== END));
    }
    const sampled = caption(m, images, { temperature: 1, rng: new Random(4), maxWords: 6 });
    expect(sampled.map((c) => c.words.join(" "))).not.toEqual(greedy.map((c) => c.words.join(" ")));
    expect(Object.keys(captionerShapes(cfg))).toEqual(Object.keys(captionerNamed(m)));
  });
});

describe("beam search", () => {
  it("with a beam of 1 is greedy decoding, and scores each caption by the decoder's own log-likelihood of it", async () => {
    const { loadCaptioner } = await import("./captioner-file.ts");
    const { FIXTURE_CAPTIONER_DIR } = await import("../testing/throwaway-store.ts");
    const { model: m } = loadCaptioner(FIXTURE_CAPTIONER_DIR);
    const test = makeScenes("test", 20, 1);
    const images = imagesTensor(test.map(renderScene));
    expect(beamCaption(m, images, { beam: 1 }).map((c) => c.words)).toEqual(caption(m, images).map((c) => c.words));
    const beamed = beamCaption(m, images, { beam: 3 });
    // Independently: the caption teacher-forced through the decoder, Σ log p(word) over its words and <end>.
    const chunk = captionChunk(beamed.map((c) => detokenize(c.words)));
    const T = chunk.steps, B = chunk.batch;
    const logp = tf.tidy(() => {
      const u = tf.matMul(encode(m.encoder, images), m.Wv);
      const state = [zeroState(cellByName(m.config.cell), B, m.config.hidden)];
      return forward(cellByName(m.config.cell), m.decoder, chunk.inputs, T, state, [], undefined, { pre0: tf.tile(u, [T, 1]) as Tensor2D }).logp.dataSync() as Float32Array;
    });
    const V = WORDS.length;
    beamed.forEach((c, b) => {
      let sum = 0;
      for (let t = 0; t <= c.words.length; t++) sum += logp[(t * B + b) * V + chunk.targets[t * B + b]];
      expect(c.logp).toBeCloseTo(sum, 3);
    });
    images.dispose();
  });
});
