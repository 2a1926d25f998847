/**
 * The captioner's image encoder: a small CNN, the lecture's VGG scaled down to
 * 64×64 scenes made by code (scenes.ts). B images, F features:
 *
 *   x0 = image / 255 − 0.5                       [B, 64, 64, 3]
 *   x1 = maxpool2(relu(conv3(x0; W1) + b1))      [B, 32, 32, C1]
 *   x2 = maxpool2(relu(conv3(x1; W2) + b2))      [B, 16, 16, C2]
 *   x3 = maxpool2(relu(conv3(x2; W3) + b3))      [B,  8,  8, C3]
 *   v  = relu(flatten(x3)·Wf + bf)               [B, F]
 *
 * Like VGG with its last layer and softmax removed, v is what the decoder sees
 * of the image (captioner.ts). conv3 is a 3×3 convolution with zero padding
 * and W [9·C, C'] in (dy, dx, c) row order. The wasm backend has no gradient
 * kernel for a convolution's filter, so conv3 gives its gradients by hand
 * (im2col: ∂L/∂W = patches(x)ᵀ·∂L/∂y); pooling, ReLU and the dense layer
 * differentiate by tfjs autograd.
 */
import * as tf from "@tensorflow/tfjs";
import type { Tensor, Tensor2D, Tensor4D } from "@tensorflow/tfjs";
import { Random } from "../model/random.ts";
import { IMAGE } from "./scenes.ts";

/** Channels of the three convolutions, C1 C2 C3, unless a captioner's config says otherwise. */
export const CHANNELS: readonly [number, number, number] = [16, 32, 32];

/** The encoder's weights by name: cnn.W1 [27, C1], cnn.b1 [C1], … cnn.Wf [8·8·C3, F], cnn.bf [F]. */
export type EncoderParams = Record<string, Tensor>;

export function encoderShapes(features: number, channels: readonly number[] = CHANNELS): Record<string, number[]> {
  const [c1, c2, c3] = channels;
  const side = IMAGE / 8;
  return { "cnn.W1": [9 * 3, c1], "cnn.b1": [c1], "cnn.W2": [9 * c1, c2], "cnn.b2": [c2], "cnn.W3": [9 * c2, c3], "cnn.b3": [c3], "cnn.Wf": [side * side * c3, features], "cnn.bf": [features] };
}

/** He-uniform weights (ReLU layers keep their activations' scale), zero biases. */
export function initEncoder(features: number, seed: number, channels: readonly number[] = CHANNELS): EncoderParams {
  const rng = new Random(seed);
  const out: EncoderParams = {};
  for (const [name, shape] of Object.entries(encoderShapes(features, channels))) {
    const size = shape.reduce((a, b) => a * b, 1);
    const bound = shape.length === 2 ? Math.sqrt(6 / shape[0]) : 0;
    out[name] = tf.tensor(Float32Array.from({ length: size }, () => rng.uniform(-bound, bound)), shape);
  }
  return out;
}

/**
 * 3×3 convolution, stride 1, zero padding, as plain differentiable ops: the
 * 9 shifted copies of the padded input side by side [B·H·W, 9·C] times
 * W [9·C, C'] (im2col). Slow (many small copies); the reference `conv3`'s
 * hand-written gradients are tested against.
 */
export function conv3Reference(x: Tensor4D, W: Tensor, b: Tensor): Tensor4D {
  const [B, H, Wd, C] = x.shape;
  const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
  const shifted: Tensor4D[] = [];
  for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) shifted.push(tf.slice(padded, [0, dy, dx, 0], [B, H, Wd, C]));
  // Channel order of a patch: (dy, dx, c), the row order of W.
  const cols = tf.reshape(tf.concat(shifted, 3), [B * H * Wd, 9 * C]) as Tensor2D;
  return tf.reshape(tf.add(tf.matMul(cols, W as Tensor2D), b), [B, H, Wd, W.shape[1]!]) as Tensor4D;
}

/**
 * Where each slot of each 3×3 patch reads from: for patch row r (pixel b, i, j)
 * and slot k = (dy, dx), the offset in x [B, H, W, C] of that neighbour's first
 * channel, or −1 where it falls in the zero padding. im2col gathers by it,
 * col2im scatters back by it.
 */
function patchSources([B, H, W, C]: number[]): Int32Array {
  const src = new Int32Array(B * H * W * 9);
  let o = 0;
  for (let b = 0; b < B; b++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const y = i + dy, xx = j + dx;
            src[o++] = y < 0 || y >= H || xx < 0 || xx >= W ? -1 : ((b * H + y) * W + xx) * C;
          }
  return src;
}

/** im2col: every 3×3 patch of x (zero padded) as a row, [B·H·W, 9·C] in (dy, dx, c) order. */
function patches(x: Float32Array, shape: number[]): Float32Array {
  const C = shape[3], src = patchSources(shape);
  const out = new Float32Array(src.length * C);
  for (let k = 0; k < src.length; k++) if (src[k] >= 0) out.set(x.subarray(src[k], src[k] + C), k * C);
  return out;
}

/** col2im: patch rows [B·H·W, 9·C] summed back into the image they were cut from, [B, H, W, C]. */
function unpatch(cols: Float32Array, shape: number[]): Float32Array {
  const C = shape[3], src = patchSources(shape);
  const out = new Float32Array(shape[0] * shape[1] * shape[2] * C);
  for (let k = 0; k < src.length; k++) {
    const at = src[k];
    if (at >= 0) for (let c = 0; c < C; c++) out[at + c] += cols[k * C + c];
  }
  return out;
}

/**
 * The same convolution on the backend's own conv2d (W viewed as the filter
 * [3, 3, C, C'], the same numbers), with its gradients by hand, since the wasm
 * backend has no kernel for the filter's and a slow one for the input's:
 *   ∂L/∂W = patches(x)ᵀ · ∂L/∂y                  [9·C, C']
 *   ∂L/∂x = unpatch(∂L/∂y · Wᵀ)                  (zero when `inputGrad` is false: the image)
 *   ∂L/∂b = Σ ∂L/∂y over B, H, W
 */
export function conv3(x: Tensor4D, W: Tensor, b: Tensor, inputGrad = true): Tensor4D {
  const C = x.shape[3], Cout = W.shape[1]!;
  const f = tf.customGrad(((xIn: Tensor4D, wIn: Tensor2D, bIn: Tensor, save: tf.GradSaveFunc) => {
    save([xIn, wIn]);
    const value = tf.add(tf.conv2d(xIn, tf.reshape(wIn, [3, 3, C, Cout]) as tf.Tensor4D, 1, "same"), bIn) as Tensor4D;
    return {
      value,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [xs, ws] = saved as [Tensor4D, Tensor2D];
        const dy2 = tf.reshape(dy, [-1, Cout]) as Tensor2D;
        const cols = tf.tensor2d(patches(xs.dataSync() as Float32Array, xs.shape), [dy2.shape[0], 9 * C]);
        const dx = inputGrad ? tf.tensor4d(unpatch(tf.matMul(dy2, ws, false, true).dataSync() as Float32Array, xs.shape), xs.shape) : tf.zerosLike(xs);
        return [dx, tf.matMul(cols, dy2, true, false), tf.sum(dy2, 0)];
      },
    };
  }) as unknown as (...args: (Tensor | tf.GradSaveFunc)[]) => { value: Tensor; gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor[] });
  return f(x, W, b) as Tensor4D;
}

/** Images (row-major RGB bytes, renderScene) as the encoder's input [B, 64, 64, 3]. */
export function imagesTensor(images: Uint8Array[]): Tensor4D {
  const data = new Float32Array(images.length * IMAGE * IMAGE * 3);
  images.forEach((img, i) => {
    for (let k = 0; k < img.length; k++) data[i * img.length + k] = img[k] / 255 - 0.5;
  });
  return tf.tensor4d(data, [images.length, IMAGE, IMAGE, 3]);
}

/** v = the image features [B, F]. `conv` swaps in conv3Reference for tests. */
export function encode(p: EncoderParams, x0: Tensor4D, conv: (x: Tensor4D, W: Tensor, b: Tensor, inputGrad?: boolean) => Tensor4D = conv3): Tensor2D {
  let x = x0;
  // No gradient into the image itself (k = 1): nothing learns from it.
  for (const k of [1, 2, 3]) x = tf.maxPool(tf.relu(conv(x, p[`cnn.W${k}`], p[`cnn.b${k}`], k > 1)), 2, 2, "valid");
  const flat = tf.reshape(x, [x.shape[0], -1]) as Tensor2D;
  return tf.relu(tf.add(tf.matMul(flat, p["cnn.Wf"] as Tensor2D), p["cnn.bf"])) as Tensor2D;
}

/**
 * The encoder's weight gradients for an upstream gradient dv = ∂L/∂v [B, F]:
 * autograd of Σ v ⊙ dv, whose gradient is (∂v/∂θ)ᵀ·dv. Call inside tf.tidy.
 */
export function encoderGrads(p: EncoderParams, x0: Tensor4D, dv: Tensor2D, conv: typeof conv3 = conv3): Record<string, Tensor> {
  const names = Object.keys(p);
  const f = (...ws: Tensor[]) => tf.sum(tf.mul(encode(Object.fromEntries(names.map((n, k) => [n, ws[k]])), x0, conv), dv));
  const grads = tf.grads(f)(names.map((n) => p[n]));
  return Object.fromEntries(names.map((n, k) => [n, grads[k]]));
}
