/**
 * The captioner: a CNN encodes the picture (encoder.ts) and a word-level
 * recurrent decoder, any cell of the engine (LSTM, GRU, vanilla RNN), writes
 * the caption, as in the lecture:
 *
 *   v   = CNN(image)                                    [B, F]
 *   h_t = cell(W_xh·x_t + W_hh·h_{t−1} + W_ih·v)         x_0 = <start>, x_t = word t
 *   p(word_{t+1}) = softmax(W_hy·h_t + b_y)              until <end>
 *
 * The image enters layer 0 at every step through W_ih·v, the lecture's
 * formula, from a zero state. At every step rather than only the first,
 * because a caption that lists three objects still needs the picture at its
 * twelfth word, and an early image term would have to survive the recurrence
 * that long. In the engine's row-vector convention the term is v·Wv, Wv
 * [F, G·H], added to layer 0's pre-activation (network.ts `pre0`); its
 * gradient comes back from the decoder's hand-written backward pass as dPre0,
 * and the encoder's by autograd (encoderGrads).
 *
 * Shapes: B captions, T steps (the longest caption's words + 1), H hidden,
 * G gate blocks of the cell, V = WORDS.length.
 */
import * as tf from "@tensorflow/tfjs";
import type { Scalar, Tensor, Tensor2D, Tensor4D } from "@tensorflow/tfjs";
import { z } from "zod";
import { cellByName, CELL_NAMES } from "../model/cells.ts";
import { zeroState } from "../model/cell.ts";
import { ModelConfig } from "../model/config.ts";
import { forward, lossAndGrads, type Chunk } from "../model/network.ts";
import { fromNamed, initParams, toNamed, type Params } from "../model/params.ts";
import { Random } from "../model/random.ts";
import { UNIT_KIND_INFO } from "../model/unit-kinds.ts";
import { CHANNELS, encode, encoderGrads, encoderShapes, initEncoder, type EncoderParams } from "./encoder.ts";
import { END, START, WORDS, wordIds } from "./words.ts";

export const CaptionerConfig = z.object({
  cell: z.enum(CELL_NAMES).default("lstm"),
  layers: z.number().int().min(1).max(4).default(1),
  hidden: z.number().int().min(32).max(1024).default(256),
  /** F: image features the encoder hands the decoder. */
  features: z.number().int().min(8).max(1024).default(256),
  /** C1 C2 C3: the encoder's convolution channels (encoder.ts). */
  channels: z.tuple([z.number().int().min(1).max(256), z.number().int().min(1).max(256), z.number().int().min(1).max(256)]).default([...CHANNELS]),
});
export type CaptionerConfig = z.infer<typeof CaptionerConfig>;

export interface Captioner {
  config: CaptionerConfig;
  encoder: EncoderParams;
  /** W_ih, [F, G·H]. */
  Wv: Tensor2D;
  /** The decoder, a char model whose "characters" are WORDS. */
  decoder: Params;
}

/** The decoder as the engine's model config. */
export function decoderConfig(c: CaptionerConfig): ModelConfig {
  return ModelConfig.parse({ cell: c.cell, layers: c.layers, hidden: c.hidden, vocabSize: WORDS.length, dropout: 0 });
}

/** Every weight's shape by name: the decoder's (params.ts names), img.Wv, and the encoder's cnn.*. */
export function captionerShapes(c: CaptionerConfig): Record<string, number[]> {
  const dc = decoderConfig(c);
  const named = toNamed(initParams(dc, 1) as Params<Tensor, Tensor>);
  const shapes = Object.fromEntries(Object.entries(named).map(([k, t]) => [k, t.shape]));
  tf.dispose(Object.values(named));
  return { ...shapes, "img.Wv": [c.features, cellByName(c.cell).gates * c.hidden], ...encoderShapes(c.features, c.channels) };
}

export function initCaptioner(c: CaptionerConfig, seed: number): Captioner {
  const rng = new Random(seed + 1);
  const G = cellByName(c.cell).gates;
  const bound = 0.08; // the decoder's own uniform ±0.08 (params.ts)
  return {
    config: c,
    encoder: initEncoder(c.features, seed + 2, c.channels),
    Wv: tf.tensor2d(Float32Array.from({ length: c.features * G * c.hidden }, () => rng.uniform(-bound, bound)), [c.features, G * c.hidden]),
    decoder: initParams(decoderConfig(c), seed),
  };
}

export function captionerNamed(m: Captioner): Record<string, Tensor> {
  return { ...toNamed(m.decoder as Params<Tensor, Tensor>), "img.Wv": m.Wv, ...m.encoder };
}

export function captionerFromNamed(c: CaptionerConfig, named: Record<string, Tensor>): Captioner {
  const decoder: Record<string, Tensor> = {};
  const encoder: EncoderParams = {};
  for (const [k, t] of Object.entries(named)) {
    if (k.startsWith("cnn.")) encoder[k] = t;
    else if (k !== "img.Wv") decoder[k] = t;
  }
  return { config: c, encoder, Wv: named["img.Wv"] as Tensor2D, decoder: fromNamed(decoder, c.layers) as Params };
}

/**
 * B captions as one chunk of T = longest + 1 steps, time-major: inputs
 * <start>, w1 … wn, targets w1 … wn, <end>; shorter captions go on with <end>
 * in and <end> out (the padding's loss is counted: it teaches the decoder to
 * stay ended, and is nearly free once learned).
 */
export function captionChunk(captions: readonly string[]): Chunk {
  const ids = captions.map(wordIds);
  const T = Math.max(...ids.map((w) => w.length)) + 1;
  const B = captions.length;
  const inputs = new Int32Array(T * B), targets = new Int32Array(T * B); // 0 is <end>
  const start = WORDS.indexOf(START);
  ids.forEach((w, b) => {
    inputs[b] = start;
    for (let t = 0; t < w.length; t++) {
      inputs[(t + 1) * B + b] = w[t];
      targets[t * B + b] = w[t];
    }
  });
  return { inputs, targets, steps: T, batch: B };
}

/**
 * Mean cross-entropy per word (nats) of a batch, and every weight's gradient
 * by name (captionerNamed). Call inside tf.tidy.
 */
export function captionLossAndGrads(m: Captioner, images: Tensor4D, chunk: Chunk): { loss: Scalar; grads: Record<string, Tensor> } {
  const { steps: T, batch: B } = chunk;
  const cell = cellByName(m.config.cell);
  const v = encode(m.encoder, images); // [B, F]
  const u = tf.matMul(v, m.Wv); // [B, G·H]: W_ih·v
  const pre0 = tf.tile(u, [T, 1]) as Tensor2D; // row t·B + b is image b at every step t
  const state = Array.from({ length: m.config.layers }, () => zeroState(cell, B, m.config.hidden));
  const r = lossAndGrads(cell, m.decoder, chunk, state, undefined, "mean", { pre0 });
  const dU = tf.sum(tf.reshape(r.dPre0!, [T, B, -1]), 0) as Tensor2D; // ∂L/∂u: u is used at every step
  const dWv = tf.matMul(v, dU, true, false) as Tensor2D; // vᵀ·dU
  const dv = tf.matMul(dU, m.Wv, false, true) as Tensor2D; // dU·Wvᵀ
  return { loss: r.loss, grads: { ...toNamed(r.grads as Params<Tensor, Tensor>), "img.Wv": dWv, ...encoderGrads(m.encoder, images, dv) } };
}

/**
 * The decoder's unit kinds a caption can keep per step: what the cell records,
 * gates left out (an LSTM: c and h). Asking for a gate would take the LSTM off
 * its fused step, and a caption must not change with the unit it is colored by.
 */
export function decoderKinds(cellName: string): string[] {
  return cellByName(cellName).records.filter((k) => !UNIT_KIND_INFO[k].gate);
}

export interface CaptionStep {
  word: string;
  /** The five likeliest next words at this step, best first. */
  top: { word: string; p: number }[];
  /** With `keepUnits`: every decoder unit after reading this step's input, by kind ("h", an LSTM's "c" = tanh(c)), [layer][unit]. */
  units?: Record<string, number[][]>;
}

/**
 * Captions for B images, word by word from <start> until <end> (or maxWords):
 * greedy (temperature 0, the likeliest word) or sampled from softmax(logits /
 * temperature). Each step keeps the five likeliest words. `series` names
 * decoder series to keep per step (e.g. "c" for an LSTM's tanh(c)).
 */
export function caption(m: Captioner, images: Tensor4D, opts: { temperature?: number; rng?: Random; maxWords?: number; keepUnits?: boolean } = {}): { words: string[]; steps: CaptionStep[] }[] {
  const temperature = opts.temperature ?? 0;
  const rng = opts.rng ?? new Random(1);
  const maxWords = opts.maxWords ?? 24;
  const cell = cellByName(m.config.cell);
  const B = images.shape[0];
  const out = Array.from({ length: B }, () => ({ words: [] as string[], steps: [] as CaptionStep[], done: false }));
  const kinds = opts.keepUnits ? decoderKinds(m.config.cell).filter((k) => k !== "h") : [];
  const u = tf.tidy(() => tf.matMul(encode(m.encoder, images), m.Wv) as Tensor2D);
  let state = Array.from({ length: m.config.layers }, () => zeroState(cell, B, m.config.hidden));
  let input = new Int32Array(B).fill(WORDS.indexOf(START));
  for (let t = 0; t < maxWords && out.some((o) => !o.done); t++) {
    const r = tf.tidy(() => {
      const f = forward(cell, m.decoder, input, 1, state, kinds, undefined, { pre0: u });
      const units = opts.keepUnits ? f.layers.map((l) => ({ h: l.h, ...l.series })) : [];
      return { logp: f.logp, state: f.state, units };
    });
    const logp = r.logp.dataSync() as Float32Array;
    const H = m.config.hidden;
    const unitValues = r.units.map((l) => Object.fromEntries(Object.entries(l).map(([k, t]) => [k, t.dataSync() as Float32Array])));
    tf.dispose([r.logp, ...state.flatMap((s) => Object.values(s)), ...r.units.flatMap((l) => Object.values(l))]);
    state = r.state;
    const V = WORDS.length;
    input = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      const row = logp.subarray(b * V, (b + 1) * V);
      const order = Array.from(row.keys()).sort((i, j) => row[j] - row[i]);
      let pick = order[0];
      if (temperature > 0) {
        const w = Array.from(row, (l) => Math.exp((l - row[order[0]]) / temperature));
        let x = rng.next() * w.reduce((a, c) => a + c, 0);
        for (pick = 0; pick < V - 1 && (x -= w[pick]) > 0; pick++);
      }
      input[b] = pick;
      const o = out[b];
      if (o.done) continue;
      const step: CaptionStep = { word: WORDS[pick], top: order.slice(0, 5).map((i) => ({ word: WORDS[i], p: Math.exp(row[i]) })) };
      if (opts.keepUnits) {
        step.units = {};
        for (const k of Object.keys(unitValues[0] ?? {})) step.units[k] = unitValues.map((l) => Array.from(l[k].subarray(b * H, (b + 1) * H)));
      }
      o.steps.push(step);
      if (WORDS[pick] === END) o.done = true;
      else o.words.push(WORDS[pick]);
    }
  }
  tf.dispose([u, ...state.flatMap((s) => Object.values(s))]);
  return out.map(({ words, steps }) => ({ words, steps }));
}

/**
 * Beam search: for each image, the K most likely captions so far are kept
 * and extended by every word, and the K best extensions go on, until every
 * kept caption has ended. A caption's score is Σ log p of its words (and of
 * <end>); the answer is the ended caption with the best score per word^α
 * (α = `lengthPenalty`; 0 is the plain sum, which favours short captions, and
 * a caption that leaves an object out is false). K = 1 is greedy decoding.
 * Rows of every tensor are (image b, beam k) at b·K + k.
 */
export function beamCaption(m: Captioner, images: Tensor4D, opts: { beam?: number; maxWords?: number; lengthPenalty?: number } = {}): { words: string[]; logp: number }[] {
  const K = opts.beam ?? 3, maxWords = opts.maxWords ?? 24, alpha = opts.lengthPenalty ?? 0.7;
  if (!Number.isInteger(K) || K < 1) throw new Error("the beam must be a whole number ≥ 1");
  const cell = cellByName(m.config.cell);
  const B = images.shape[0], V = WORDS.length, endId = WORDS.indexOf(END);
  const u = tf.tidy(() => {
    const ub = tf.matMul(encode(m.encoder, images), m.Wv); // [B, G·H]
    return tf.reshape(tf.tile(tf.expandDims(ub, 1), [1, K, 1]), [B * K, -1]) as Tensor2D; // row b·K + k is image b
  });
  let state = Array.from({ length: m.config.layers }, () => zeroState(cell, B * K, m.config.hidden));
  // Beams: words so far, score, whether ended. At first only beam 0 of each image is live (the others would repeat it).
  let beams = Array.from({ length: B * K }, (_, r) => ({ words: [] as number[], score: r % K === 0 ? 0 : -Infinity, ended: false }));
  const best = Array.from({ length: B }, () => ({ words: [] as number[], logp: -Infinity, norm: -Infinity }));
  let input = new Int32Array(B * K).fill(WORDS.indexOf(START));
  for (let t = 0; t <= maxWords && beams.some((b) => !b.ended && b.score > -Infinity); t++) {
    const r = tf.tidy(() => {
      const f = forward(cell, m.decoder, input, 1, state, [], undefined, { pre0: u });
      return { logp: f.logp, state: f.state };
    });
    const logp = r.logp.dataSync() as Float32Array;
    const next: typeof beams = [];
    const from: number[] = [];
    for (let b = 0; b < B; b++) {
      const cands: { row: number; word: number; score: number }[] = [];
      for (let k = 0; k < K; k++) {
        const row = b * K + k, beam = beams[row];
        if (beam.ended || beam.score === -Infinity) continue;
        for (let w = 0; w < V; w++) cands.push({ row, word: w, score: beam.score + logp[row * V + w] });
      }
      cands.sort((x, y) => y.score - x.score);
      for (let k = 0; k < K; k++) {
        const c = cands[k];
        if (!c) {
          next.push({ words: [], score: -Infinity, ended: true });
          from.push(b * K);
          continue;
        }
        const ended = c.word === endId || t === maxWords;
        const words = c.word === endId ? beams[c.row].words : [...beams[c.row].words, c.word];
        next.push({ words, score: c.score, ended });
        from.push(c.row);
        if (ended) {
          const norm = c.score / Math.pow(Math.max(1, words.length + 1), alpha);
          if (norm > best[b].norm) best[b] = { words, logp: c.score, norm };
          next[next.length - 1].score = -Infinity; // an ended beam is kept in best, and its place freed
        }
      }
    }
    // Each kept beam continues from the state of the beam it extends.
    const idx = tf.tensor1d(Int32Array.from(from), "int32");
    const moved = r.state.map((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, tf.gather(v as Tensor, idx)]))) as typeof state;
    tf.dispose([idx, r.logp, ...r.state.flatMap((s) => Object.values(s)), ...state.flatMap((s) => Object.values(s))]);
    state = moved;
    beams = next;
    input = Int32Array.from(next, (n) => n.words.at(-1) ?? endId);
  }
  tf.dispose([u, ...state.flatMap((s) => Object.values(s))]);
  return best.map((b) => ({ words: b.words.map((w) => WORDS[w]), logp: b.logp }));
}

export { END, START };
