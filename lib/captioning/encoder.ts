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
 * of the image (captioner.ts). conv3 is a 3×3 convolution with zero padding,
 * computed as one product: the 9 shifted copies of the padded input side by
 * side, [B·H·W, 9·C], times W [9·C, C'] (im2col). The wasm backend has no
 * gradient kernel for a convolution's filter; products, slices and pooling
 * differentiate there, so tfjs autograd gives this encoder's gradients.
 */
import * as tf from "@tensorflow/tfjs";
import type { Tensor, Tensor2D, Tensor4D } from "@tensorflow/tfjs";
import { Random } from "../model/random.ts";
import { IMAGE } from "./scenes.ts";

/** Channels of the three convolutions. */
export const CHANNELS = [16, 32, 32] as const;

/** The encoder's weights by name: cnn.W1 [27, C1], cnn.b1 [C1], … cnn.Wf [8·8·C3, F], cnn.bf [F]. */
export type EncoderParams = Record<string, Tensor>;

export function encoderShapes(features: number): Record<string, number[]> {
  const [c1, c2, c3] = CHANNELS;
  const side = IMAGE / 8;
  return { "cnn.W1": [9 * 3, c1], "cnn.b1": [c1], "cnn.W2": [9 * c1, c2], "cnn.b2": [c2], "cnn.W3": [9 * c2, c3], "cnn.b3": [c3], "cnn.Wf": [side * side * c3, features], "cnn.bf": [features] };
}

/** He-uniform weights (ReLU layers keep their activations' scale), zero biases. */
export function initEncoder(features: number, seed: number): EncoderParams {
  const rng = new Random(seed);
  const out: EncoderParams = {};
  for (const [name, shape] of Object.entries(encoderShapes(features))) {
    const size = shape.reduce((a, b) => a * b, 1);
    const bound = shape.length === 2 ? Math.sqrt(6 / shape[0]) : 0;
    out[name] = tf.tensor(Float32Array.from({ length: size }, () => rng.uniform(-bound, bound)), shape);
  }
  return out;
}

/** 3×3 convolution, stride 1, zero padding, by im2col: [B, H, W, C] → [B, H, W, C']. */
function conv3(x: Tensor4D, W: Tensor, b: Tensor): Tensor4D {
  const [B, H, Wd, C] = x.shape;
  const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
  const shifted: Tensor4D[] = [];
  for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) shifted.push(tf.slice(padded, [0, dy, dx, 0], [B, H, Wd, C]));
  // Channel order of a patch: (dy, dx, c), the row order of W.
  const cols = tf.reshape(tf.concat(shifted, 3), [B * H * Wd, 9 * C]) as Tensor2D;
  return tf.reshape(tf.add(tf.matMul(cols, W as Tensor2D), b), [B, H, Wd, W.shape[1]!]) as Tensor4D;
}

/** Images (row-major RGB bytes, renderScene) as the encoder's input [B, 64, 64, 3]. */
export function imagesTensor(images: Uint8Array[]): Tensor4D {
  const data = new Float32Array(images.length * IMAGE * IMAGE * 3);
  images.forEach((img, i) => {
    for (let k = 0; k < img.length; k++) data[i * img.length + k] = img[k] / 255 - 0.5;
  });
  return tf.tensor4d(data, [images.length, IMAGE, IMAGE, 3]);
}

/** v = the image features [B, F]. */
export function encode(p: EncoderParams, x0: Tensor4D): Tensor2D {
  let x = x0;
  for (const k of [1, 2, 3]) x = tf.maxPool(tf.relu(conv3(x, p[`cnn.W${k}`], p[`cnn.b${k}`])), 2, 2, "valid");
  const flat = tf.reshape(x, [x.shape[0], -1]) as Tensor2D;
  return tf.relu(tf.add(tf.matMul(flat, p["cnn.Wf"] as Tensor2D), p["cnn.bf"])) as Tensor2D;
}

/**
 * The encoder's weight gradients for an upstream gradient dv = ∂L/∂v [B, F]:
 * autograd of Σ v ⊙ dv, whose gradient is (∂v/∂θ)ᵀ·dv. Call inside tf.tidy.
 */
export function encoderGrads(p: EncoderParams, x0: Tensor4D, dv: Tensor2D): Record<string, Tensor> {
  const names = Object.keys(p);
  const f = (...ws: Tensor[]) => tf.sum(tf.mul(encode(Object.fromEntries(names.map((n, k) => [n, ws[k]])), x0), dv));
  const grads = tf.grads(f)(names.map((n) => p[n]));
  return Object.fromEntries(names.map((n, k) => [n, grads[k]]));
}
