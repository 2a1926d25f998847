/**
 * A plain, obviously-correct LSTM network written with ordinary tfjs ops and
 * differentiated by tfjs autograd. It is slow (transposed matmuls, per-step
 * slices) and exists only so tests can check the fast path against it.
 */
import * as tf from "@tensorflow/tfjs";
import type { Scalar, Tensor, Tensor2D } from "@tensorflow/tfjs";
import type { CellState } from "./cell.ts";
import type { Chunk, Masks } from "./network.ts";
import { fromNamed, paramNames, toNamed, type Params } from "./params.ts";

function referenceLoss(p: Params, chunk: Chunk, state: CellState[], masks?: Masks): Scalar {
  const { steps: T, batch: B } = chunk;
  const V = p.Wy.shape[1];
  const H = p.layers[0].Wh.shape[0];
  let xs: Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    xs.push(tf.oneHot(tf.tensor1d(chunk.inputs.slice(t * B, (t + 1) * B), "int32"), V).toFloat() as Tensor2D);
  }
  p.layers.forEach((layer, l) => {
    let h = state[l].h;
    let c = state[l].c;
    const next: Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const z = tf.add(tf.add(tf.matMul(xs[t], layer.Wx), tf.matMul(h, layer.Wh)), layer.b);
      const i = tf.sigmoid(tf.slice(z, [0, 0], [B, H]));
      const f = tf.sigmoid(tf.slice(z, [0, H], [B, H]));
      const o = tf.sigmoid(tf.slice(z, [0, 2 * H], [B, H]));
      const g = tf.tanh(tf.slice(z, [0, 3 * H], [B, H]));
      c = tf.add(tf.mul(f, c), tf.mul(i, g)) as Tensor2D;
      h = tf.mul(o, tf.tanh(c)) as Tensor2D;
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
export function referenceLossAndGrads(p: Params, chunk: Chunk, state: CellState[], masks?: Masks) {
  const names = paramNames(p.layers.length);
  const named = toNamed(p as Params<Tensor, Tensor>);
  const list = names.map((n) => named[n]);
  const f = (...ws: Tensor[]) =>
    referenceLoss(fromNamed(Object.fromEntries(names.map((n, k) => [n, ws[k]])), p.layers.length) as Params, chunk, state, masks);
  const { value, grads } = tf.valueAndGrads(f)(list);
  return { loss: value as Scalar, grads: fromNamed(Object.fromEntries(names.map((n, k) => [n, grads[k]])), p.layers.length) as Params };
}

export { referenceLoss };

/**
 * The same network's loss in float64 plain JavaScript loops, for the
 * finite-difference gradient check (float32 differences are too noisy).
 * @param w weights by model-file name, row-major
 * @param state per layer { h, c }, each [B·H] row-major
 */
export function referenceLossF64(
  w: Record<string, Float64Array>,
  shapes: Record<string, number[]>,
  layers: number,
  chunk: Chunk,
  state: { h: Float64Array; c: Float64Array }[],
): number {
  const { steps: T, batch: B } = chunk;
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const [H, V] = shapes["out.Wy"];
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
    const D = shapes[`rnn.${l}.Wx`][0];
    const next: Float64Array[][] = [];
    const h = Array.from({ length: B }, (_, b) => state[l].h.slice(b * H, (b + 1) * H));
    const c = Array.from({ length: B }, (_, b) => state[l].c.slice(b * H, (b + 1) * H));
    for (let t = 0; t < T; t++) {
      next.push([]);
      for (let b = 0; b < B; b++) {
        const z = Float64Array.from(bias);
        for (let d = 0; d < D; d++) for (let j = 0; j < 4 * H; j++) z[j] += xs[t][b][d] * Wx[d * 4 * H + j];
        for (let d = 0; d < H; d++) for (let j = 0; j < 4 * H; j++) z[j] += h[b][d] * Wh[d * 4 * H + j];
        const hn = new Float64Array(H);
        for (let u = 0; u < H; u++) {
          const i = sig(z[u]), f = sig(z[H + u]), o = sig(z[2 * H + u]), g = Math.tanh(z[3 * H + u]);
          c[b][u] = f * c[b][u] + i * g;
          hn[u] = o * Math.tanh(c[b][u]);
        }
        h[b] = hn;
        next[t].push(hn);
      }
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
