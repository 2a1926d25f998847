/**
 * The weights of a char-level recurrent network, their names in the model
 * file, and their initialization.
 *
 *   layer l:  Wx [D_l, G·H]  (D_0 = vocabulary size, else H)
 *             Wh [H, G·H]
 *             b  [G·H]       (LSTM: forget-gate block starts at 1)
 *   output:   Wy [H, V], by [V]
 */
import * as tf from "@tensorflow/tfjs";
import type { Tensor1D, Tensor2D } from "@tensorflow/tfjs";
import type { ModelConfig } from "./config.ts";
import { Random } from "./random.ts";

export interface LayerParams<T = Tensor2D, B = Tensor1D> {
  Wx: T;
  Wh: T;
  b: B;
}

export interface Params<T = Tensor2D, B = Tensor1D> {
  layers: LayerParams<T, B>[];
  Wy: T;
  by: B;
}

/** The model file's name for each weight, in a fixed order. */
export function paramNames(layers: number): string[] {
  const names: string[] = [];
  for (let l = 0; l < layers; l++) names.push(`rnn.${l}.Wx`, `rnn.${l}.Wh`, `rnn.${l}.b`);
  return [...names, "out.Wy", "out.by"];
}

export function paramShapes(c: ModelConfig, gates = 4): Record<string, number[]> {
  const G = gates * c.hidden;
  const shapes: Record<string, number[]> = {};
  for (let l = 0; l < c.layers; l++) {
    shapes[`rnn.${l}.Wx`] = [l === 0 ? c.vocabSize : c.hidden, G];
    shapes[`rnn.${l}.Wh`] = [c.hidden, G];
    shapes[`rnn.${l}.b`] = [G];
  }
  shapes["out.Wy"] = [c.hidden, c.vocabSize];
  shapes["out.by"] = [c.vocabSize];
  return shapes;
}

export function toNamed<T>(p: Params<T, T>): Record<string, T> {
  const named: Record<string, T> = {};
  p.layers.forEach((l, i) => {
    named[`rnn.${i}.Wx`] = l.Wx;
    named[`rnn.${i}.Wh`] = l.Wh;
    named[`rnn.${i}.b`] = l.b;
  });
  named["out.Wy"] = p.Wy;
  named["out.by"] = p.by;
  return named;
}

export function fromNamed<T>(named: Record<string, T>, layers: number): Params<T, T> {
  const get = (k: string) => {
    if (!(k in named)) throw new Error(`missing weight ${k}`);
    return named[k];
  };
  return {
    layers: Array.from({ length: layers }, (_, l) => ({ Wx: get(`rnn.${l}.Wx`), Wh: get(`rnn.${l}.Wh`), b: get(`rnn.${l}.b`) })),
    Wy: get("out.Wy"),
    by: get("out.by"),
  };
}

/** Uniform(−0.08, 0.08) as in char-rnn; the LSTM forget gate's bias starts at 1 so memories last from the start. */
export function initParams(c: ModelConfig, seed: number): Params {
  const rng = new Random(seed);
  const shapes = paramShapes(c);
  const named: Record<string, tf.Tensor> = {};
  for (const name of paramNames(c.layers)) {
    const shape = shapes[name];
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name.endsWith(".b")) values.fill(1, c.hidden, 2 * c.hidden);
    else if (name !== "out.by") for (let i = 0; i < values.length; i++) values[i] = rng.uniform(-0.08, 0.08);
    named[name] = tf.tensor(values, shape);
  }
  return fromNamed(named, c.layers) as Params;
}

export function mapParams<A, B>(p: Params<A, A>, f: (x: A, name: string) => B): Params<B, B> {
  const named = toNamed(p);
  const out: Record<string, B> = {};
  for (const k of Object.keys(named)) out[k] = f(named[k], k);
  return fromNamed(out, p.layers.length);
}

export function disposeParams(p: Params<tf.Tensor, tf.Tensor>): void {
  tf.dispose(Object.values(toNamed(p)));
}
