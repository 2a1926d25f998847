/**
 * The char-level network: one-hot input → recurrent layers → linear → softmax.
 * Forward for inference and training, and the hand-written backward pass
 * (the cell does its own recurrence; see cell.ts and lstm.ts).
 *
 * Shapes: T steps, B streams, H hidden, V vocabulary; rows are time-major
 * (row t·B + b is stream b at step t).
 *
 * Layer 0's input is one-hot, so its projection is a row lookup:
 * onehot(x)·Wx + b = (Wx + b)[x], which is min-char-rnn's Wxh·x + bh with
 * Wxh = Wxᵀ (Cellscope multiplies row vectors on the left, min-char-rnn
 * column vectors on the right; every weight maps by a transpose).
 *
 * The loss a chunk of N = T·B characters is trained on (`reduction`):
 *   mean:  L = −(1/N) Σᵣ log p(targetᵣ)     (the default)
 *   sum:   L = −Σᵣ log p(targetᵣ)           (min-char-rnn: its gradient is N times the mean's)
 * The loss returned is the mean either way (nats/char), so curves compare.
 */
import * as tf from "@tensorflow/tfjs";
import type { Scalar, Tensor1D, Tensor2D } from "@tensorflow/tfjs";
import type { CellState, Hold, RecurrentCell } from "./cell.ts";
import type { LayerParams, Params } from "./params.ts";
import { runDraws, type Random } from "./random.ts";
import { nativeDropout } from "./native-matmul.ts";

export const LOSS_REDUCTIONS = ["mean", "sum"] as const;
export type LossReduction = (typeof LOSS_REDUCTIONS)[number];

export interface Chunk {
  /** Input character ids, [T·B] time-major. */
  inputs: Int32Array;
  /** Next-character ids, [T·B]. */
  targets: Int32Array;
  steps: number;
  batch: number;
}

/** Dropout masks, one per layer output, each [T·B, H] of 0 or 1/(1 − p). */
export type Masks = Tensor2D[];

/** Where a chunk's masks are drawn from, and the streams [from, to) of its `batch` wanted (a training worker's). */
export interface MaskDraw {
  /** The Random state before the draws. */
  start: number;
  steps: number;
  batch: number;
  from: number;
  to: number;
}

/**
 * Dropout masks for a chunk of T·B rows: value (layer l, row r, unit j) is
 * draw l·T·B·H + r·H + j of `rng` (then `rng` moves past them all). Keep with
 * probability 1 − p, scaled by 1/(1 − p).
 */
export function makeMasks(rng: Random, layers: number, rowsN: number, hidden: number, p: number): Masks | undefined {
  if (p <= 0) return undefined;
  const masks = maskRows({ start: rng.state, steps: rowsN, batch: 1, from: 0, to: 1 }, layers, hidden, p);
  rng.skip(layers * rowsN * hidden);
  return masks;
}

/** The rows of makeMasks's masks that belong to streams [from, to), in the slice's own time-major order: any worker's share, drawn directly. */
export function maskRows(d: MaskDraw, layers: number, hidden: number, p: number): Masks {
  const keep = 1 / (1 - p);
  const b = d.to - d.from;
  // Natively where the addon is in use (the same values: native/dropout.c), else row by row here.
  const addon = nativeDropout();
  return Array.from({ length: layers }, (_, l) => {
    const m = new Float32Array(d.steps * b * hidden);
    if (addon) {
      addon.dropoutRows(m, d.start, l, d.steps, d.batch, d.from, d.to, hidden, p, keep);
      return tf.tensor2d(m, [d.steps * b, hidden]);
    }
    for (let t = 0, o = 0; t < d.steps; t++)
      for (let s = d.from; s < d.to; s++) {
        // A row's draws are consecutive (drawing each by its index, 5M a chunk, cost a fifth of an RNN's step).
        runDraws(d.start, (l * d.steps * d.batch + t * d.batch + s) * hidden, hidden, p, keep, m, o);
        o += hidden;
      }
    return tf.tensor2d(m, [d.steps * b, hidden]);
  });
}

/** Input projection of layer 0: a row lookup in Wx (the input is one-hot), plus bias: [T·B, G·H]. */
export function embed(layer: LayerParams, ids: tf.Tensor1D): Tensor2D {
  return tf.gather(tf.add(layer.Wx, layer.b), ids) as Tensor2D;
}

export interface ForwardResult {
  /** log-probabilities of the next character, [T·B, V]. */
  logp: Tensor2D;
  /** State after the last step, per layer. */
  state: CellState[];
  /** Per layer: h [T·B, H] and any requested series. */
  layers: { h: Tensor2D; series?: Record<string, Tensor2D> }[];
}

/** Inference over one chunk of T steps (no dropout, nothing kept for backward). */
export function forward(
  cell: RecurrentCell<unknown>,
  params: Params,
  inputs: Int32Array,
  steps: number,
  state: CellState[],
  series: readonly string[] = [],
  /** Per layer, units held at values (lib/model/hold.ts), or none. */
  holds?: readonly (Hold | undefined)[],
  /** `pre0` [T·B, G·H]: added to layer 0's pre-activation (lossAndGrads). */
  extra: { pre0?: Tensor2D } = {},
): ForwardResult {
  const ids = tf.tensor1d(inputs, "int32");
  let x: Tensor2D | undefined;
  const layers: ForwardResult["layers"] = [];
  const newState: CellState[] = [];
  params.layers.forEach((layer, l) => {
    let pre = l === 0 ? embed(layer, ids) : (tf.add(tf.matMul(x!, layer.Wx), layer.b) as Tensor2D);
    if (l === 0 && extra.pre0) pre = tf.add(pre, extra.pre0) as Tensor2D;
    const out = cell.forward(pre, layer, state[l], steps, { series, hold: holds?.[l] });
    layers.push({ h: out.h, series: out.series });
    newState.push(out.state);
    x = out.h;
  });
  const logits = tf.add(tf.matMul(x!, params.Wy), params.by);
  return { logp: tf.logSoftmax(logits) as Tensor2D, state: newState, layers };
}

/** Per-character negative log-likelihood, [T·B]: −logp[r, target_r]. */
export function nllPerChar(logp: Tensor2D, targets: Int32Array): Tensor1D {
  const V = logp.shape[1];
  const flat = new Int32Array(targets.length);
  for (let r = 0; r < targets.length; r++) flat[r] = r * V + targets[r];
  return tf.neg(tf.gather(tf.reshape(logp, [-1]), tf.tensor1d(flat, "int32"))) as Tensor1D;
}

export interface StepResult {
  /** Mean cross-entropy over the chunk (nats/char), whatever the reduction the gradients are of. */
  loss: Scalar;
  grads: Params;
  state: CellState[];
  /** ∂L/∂(layer 0's pre-activation) [T·B, G·H]: the gradient of `extra.pre0`, when one was given. */
  dPre0?: Tensor2D;
}

/**
 * Forward and backward over one chunk: the mean cross-entropy, the gradient of
 * every weight (of the mean, or with `reduction` "sum" of the sum over the
 * chunk's characters), and the state to carry into the next chunk. Call
 * inside tf.tidy.
 */
export function lossAndGrads(
  cell: RecurrentCell<unknown>,
  params: Params,
  chunk: Chunk,
  state: CellState[],
  masks?: Masks,
  reduction: LossReduction = "mean",
  /**
   * `pre0` [T·B, G·H]: a term added to layer 0's pre-activation, e.g. a
   * captioner's image features W_iv·v at every step (lib/captioning); its
   * gradient comes back as `dPre0`.
   */
  extra: { pre0?: Tensor2D } = {},
): StepResult {
  const { steps, batch } = chunk;
  const N = steps * batch;
  const V = params.Wy.shape[1];
  const L = params.layers.length;
  const ids = tf.tensor1d(chunk.inputs, "int32");

  // Forward, keeping what backward needs.
  const inputs: Tensor2D[] = []; // input of layer l > 0 (after dropout)
  const tapes: unknown[] = [];
  const newState: CellState[] = [];
  let x: Tensor2D | undefined;
  params.layers.forEach((layer, l) => {
    let pre = l === 0 ? embed(layer, ids) : (tf.add(tf.matMul(x!, layer.Wx), layer.b) as Tensor2D);
    if (l === 0 && extra.pre0) pre = tf.add(pre, extra.pre0) as Tensor2D;
    const out = cell.forward(pre, layer, state[l], steps, { tape: true });
    tapes.push(out.tape);
    newState.push(out.state);
    x = masks ? (tf.mul(out.h, masks[l]) as Tensor2D) : out.h;
    inputs.push(x);
  });
  const top = x!;
  const logp = tf.logSoftmax(tf.add(tf.matMul(top, params.Wy), params.by)) as Tensor2D;
  const loss = tf.mean(nllPerChar(logp, chunk.targets)) as Scalar;

  // Backward. d(sum CE)/d logits = softmax − onehot; the mean's is that / N.
  const dSum = tf.sub(tf.exp(logp), tf.oneHot(tf.tensor1d(chunk.targets, "int32"), V)) as Tensor2D;
  const dLogits = reduction === "sum" ? dSum : (tf.div(dSum, N) as Tensor2D);
  const grads: Params = {
    layers: new Array(L),
    Wy: tf.matMul(tf.transpose(top), dLogits) as Tensor2D,
    by: tf.sum(dLogits, 0) as Tensor1D,
  };
  let dh = tf.matMul(dLogits, tf.transpose(params.Wy)) as Tensor2D;
  let dPre0: Tensor2D | undefined;
  for (let l = L - 1; l >= 0; l--) {
    if (masks) dh = tf.mul(dh, masks[l]) as Tensor2D;
    const { dPre, dWh, dExtra } = cell.backward(tapes[l], dh);
    const layer = params.layers[l];
    const db = tf.sum(dPre, 0) as Tensor1D;
    const cellExtra = dExtra ? { extra: dExtra as Record<string, Tensor1D> } : {};
    if (l === 0) {
      // Gradient of a row lookup: add each step's dz into the row of its character.
      const dWx = tf.unsortedSegmentSum(dPre, ids, layer.Wx.shape[0]) as Tensor2D;
      grads.layers[0] = { Wx: dWx, Wh: dWh, b: db, ...cellExtra };
      if (extra.pre0) dPre0 = dPre;
    } else {
      const xIn = inputs[l - 1];
      grads.layers[l] = { Wx: tf.matMul(tf.transpose(xIn), dPre) as Tensor2D, Wh: dWh, b: db, ...cellExtra };
      dh = tf.matMul(dPre, tf.transpose(layer.Wx)) as Tensor2D;
    }
  }
  return { loss, grads, state: newState, ...(dPre0 ? { dPre0 } : {}) };
}
