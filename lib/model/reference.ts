/**
 * A plain, obviously-correct network for any registered cell, built from the
 * cell's own reference step (its equations, cell.ts `reference`), in two
 * arithmetics: ordinary tfjs ops differentiated by tfjs autograd, and float64
 * JavaScript loops for finite differences (float32 differences are too noisy).
 * Both are slow (transposed matmuls, per-step slices, loops) and exist only so
 * tests can check each cell's hand-written fast path against them.
 */
import * as tf from "@tensorflow/tfjs";
import type { Scalar, Tensor, Tensor2D } from "@tensorflow/tfjs";
import type { CellState, Ops, RecurrentCell } from "./cell.ts";
import type { Chunk, Masks } from "./network.ts";
import { fromNamed, toNamed, type Params } from "./params.ts";

export const tfOps: Ops<Tensor> = {
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  oneMinus: (a) => tf.sub(1, a),
  sigmoid: (a) => tf.sigmoid(a),
  tanh: (a) => tf.tanh(a),
};

const map2 = (f: (x: number, y: number) => number) => (a: Float64Array, b: Float64Array) => a.map((x, i) => f(x, b[i]));
const map1 = (f: (x: number) => number) => (a: Float64Array) => a.map(f);
export const f64Ops: Ops<Float64Array> = {
  add: map2((x, y) => x + y),
  sub: map2((x, y) => x - y),
  mul: map2((x, y) => x * y),
  oneMinus: map1((x) => 1 - x),
  sigmoid: map1((x) => 1 / (1 + Math.exp(-x))),
  tanh: map1(Math.tanh),
};

/** `pre0` [T·B, G·H]: added to layer 0's pre-activation (network.ts lossAndGrads). */
function referenceLoss(cell: RecurrentCell<unknown>, p: Params, chunk: Chunk, state: CellState[], masks?: Masks, pre0?: Tensor2D): Scalar {
  const { steps: T, batch: B } = chunk;
  const V = p.Wy.shape[1];
  const H = p.layers[0].Wh.shape[0];
  // tfjs's gradient of a split into one piece fails: one block is the tensor itself.
  const blocks = (z: Tensor) => (cell.gates === 1 ? [z] : tf.split(z, cell.gates, 1));
  let xs: Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    xs.push(tf.oneHot(tf.tensor1d(chunk.inputs.slice(t * B, (t + 1) * B), "int32"), V).toFloat() as Tensor2D);
  }
  p.layers.forEach((layer, l) => {
    let st: Record<string, Tensor> = { ...state[l] };
    const next: Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      let z = tf.add(tf.matMul(xs[t], layer.Wx), layer.b);
      if (l === 0 && pre0) z = tf.add(z, tf.slice(pre0, [t * B, 0], [B, -1]));
      const x = blocks(z);
      const a = blocks(tf.matMul(st.h as Tensor2D, layer.Wh));
      st = cell.reference(tfOps, x, a, st, layer.extra ?? {}).state;
      const h = st.h as Tensor2D;
      next.push(masks ? (tf.mul(h, tf.slice(masks[l], [t * B, 0], [B, H])) as Tensor2D) : h);
    }
    xs = next;
  });
  let total: Tensor = tf.scalar(0);
  for (let t = 0; t < T; t++) {
    const logp = tf.logSoftmax(tf.add(tf.matMul(xs[t], p.Wy), p.by));
    const onehot = tf.oneHot(tf.tensor1d(chunk.targets.slice(t * B, (t + 1) * B), "int32"), V).toFloat();
    total = tf.sub(total, tf.sum(tf.mul(onehot, logp)));
  }
  return tf.div(total, T * B) as Scalar;
}

/** Loss and gradients by autograd: the reference for the hand-written pass. */
export function referenceLossAndGrads(cell: RecurrentCell<unknown>, p: Params, chunk: Chunk, state: CellState[], masks?: Masks) {
  const named = toNamed(p as Params<Tensor, Tensor>);
  const names = Object.keys(named);
  const f = (...ws: Tensor[]) =>
    referenceLoss(cell, fromNamed(Object.fromEntries(names.map((n, k) => [n, ws[k]])), p.layers.length) as Params, chunk, state, masks);
  const { value, grads } = tf.valueAndGrads(f)(names.map((n) => named[n]));
  return { loss: value as Scalar, grads: fromNamed(Object.fromEntries(names.map((n, k) => [n, grads[k]])), p.layers.length) as Params };
}

export { referenceLoss };

/**
 * The same network's loss in float64 plain JavaScript loops, for the
 * finite-difference gradient check.
 * @param w weights by model-file name, row-major
 * @param state per layer, each state part (cell.state) [B·H] row-major
 */
export function referenceLossF64(
  cell: RecurrentCell<unknown>,
  w: Record<string, Float64Array>,
  shapes: Record<string, number[]>,
  layers: number,
  chunk: Chunk,
  state: Record<string, Float64Array>[],
): number {
  const { steps: T, batch: B } = chunk;
  const [H, V] = shapes["out.Wy"];
  const GH = cell.gates * H;
  const blocks = (v: Float64Array) => Array.from({ length: cell.gates }, (_, k) => v.subarray(k * H, (k + 1) * H));
  // xs[t][b] is the input vector of the current layer.
  let xs: Float64Array[][] = [];
  for (let t = 0; t < T; t++) {
    xs.push(Array.from({ length: B }, (_, b) => {
      const v = new Float64Array(V);
      v[chunk.inputs[t * B + b]] = 1;
      return v;
    }));
  }
  for (let l = 0; l < layers; l++) {
    const Wx = w[`rnn.${l}.Wx`], Wh = w[`rnn.${l}.Wh`], bias = w[`rnn.${l}.b`];
    const extra = Object.fromEntries(Object.keys(cell.extraParams ?? {}).map((e) => [e, w[`rnn.${l}.${e}`]]));
    const D = shapes[`rnn.${l}.Wx`][0];
    const next: Float64Array[][] = [];
    // Per stream, each state part [H].
    let st: Record<string, Float64Array>[] = Array.from({ length: B }, (_, b) => Object.fromEntries(cell.state.map((k) => [k, state[l][k].slice(b * H, (b + 1) * H)])));
    for (let t = 0; t < T; t++) {
      next.push([]);
      st = st.map((s, b) => {
        const z = Float64Array.from(bias);
        for (let d = 0; d < D; d++) for (let j = 0; j < GH; j++) z[j] += xs[t][b][d] * Wx[d * GH + j];
        const a = new Float64Array(GH);
        for (let d = 0; d < H; d++) for (let j = 0; j < GH; j++) a[j] += s.h[d] * Wh[d * GH + j];
        const ns = cell.reference(f64Ops, blocks(z), blocks(a), s, extra).state;
        next[t].push(ns.h);
        return ns;
      });
    }
    xs = next;
  }
  let total = 0;
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const logits = Float64Array.from(w["out.by"]);
      for (let d = 0; d < H; d++) for (let v = 0; v < V; v++) logits[v] += xs[t][b][d] * w["out.Wy"][d * V + v];
      const max = Math.max(...logits);
      const lse = max + Math.log(logits.reduce((s, x) => s + Math.exp(x - max), 0));
      total += lse - logits[chunk.targets[t * B + b]];
    }
  }
  return total / (T * B);
}
