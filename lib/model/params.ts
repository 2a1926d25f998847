/**
 * The weights of a char-level recurrent network, their names in the model
 * file, and their initialization.
 *
 *   layer l:  Wx [D_l, G·H]  (D_0 = vocabulary size, else H; G = the cell's gate blocks)
 *             Wh [H, G·H]
 *             b  [G·H]       (the cell's initBias: LSTM's forget-gate block starts at 1)
 *             the cell's extra weights, e.g. GRU's bhn [H]
 *   output:   Wy [H, V], by [V]
 *
 * The matrices Wx, Wh and Wy start from `--weight-init` (WeightInit):
 *   uniform:S   each ~ Uniform(−S, S)   (char-rnn: uniform:0.08, the default)
 *   normal:S    each ~ S·N(0, 1)        (min-char-rnn: normal:0.01, np.random.randn(…)·0.01)
 */
import * as tf from "@tensorflow/tfjs";
import type { Tensor1D, Tensor2D } from "@tensorflow/tfjs";
import { z } from "zod";
import type { ModelConfig } from "./config.ts";
import { cellByName } from "./cells.ts";
import { Random } from "./random.ts";

export interface LayerParams<T = Tensor2D, B = Tensor1D> {
  Wx: T;
  Wh: T;
  b: B;
  /** The cell's extra weights by name (cell.ts, extraParams); absent for a cell without any. */
  extra?: Record<string, B>;
}

export interface Params<T = Tensor2D, B = Tensor1D> {
  layers: LayerParams<T, B>[];
  Wy: T;
  by: B;
}

/** What the names and shapes of a model's weights depend on. */
export type ParamLayout = Pick<ModelConfig, "cell" | "layers">;

/** The model file's name for each weight, in a fixed order. */
export function paramNames(c: ParamLayout): string[] {
  const extras = Object.keys(cellByName(c.cell).extraParams ?? {});
  const names: string[] = [];
  for (let l = 0; l < c.layers; l++) names.push(`rnn.${l}.Wx`, `rnn.${l}.Wh`, `rnn.${l}.b`, ...extras.map((e) => `rnn.${l}.${e}`));
  return [...names, "out.Wy", "out.by"];
}

export function paramShapes(c: ModelConfig): Record<string, number[]> {
  const cell = cellByName(c.cell);
  const G = cell.gates * c.hidden;
  const shapes: Record<string, number[]> = {};
  for (let l = 0; l < c.layers; l++) {
    shapes[`rnn.${l}.Wx`] = [l === 0 ? c.vocabSize : c.hidden, G];
    shapes[`rnn.${l}.Wh`] = [c.hidden, G];
    shapes[`rnn.${l}.b`] = [G];
    for (const [e, p] of Object.entries(cell.extraParams ?? {})) shapes[`rnn.${l}.${e}`] = p.shape(c.hidden);
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
    for (const [e, v] of Object.entries(l.extra ?? {})) named[`rnn.${i}.${e}`] = v;
  });
  named["out.Wy"] = p.Wy;
  named["out.by"] = p.by;
  return named;
}

/** The inverse of toNamed: any other `rnn.L.NAME` is an extra weight of layer L. */
export function fromNamed<T>(named: Record<string, T>, layers: number): Params<T, T> {
  const get = (k: string) => {
    if (!(k in named)) throw new Error(`missing weight ${k}`);
    return named[k];
  };
  const extraOf = (l: number) => {
    const prefix = `rnn.${l}.`;
    const extra = Object.entries(named).filter(([k]) => k.startsWith(prefix) && !["Wx", "Wh", "b"].includes(k.slice(prefix.length)));
    return extra.length ? { extra: Object.fromEntries(extra.map(([k, v]) => [k.slice(prefix.length), v])) } : {};
  };
  return {
    layers: Array.from({ length: layers }, (_, l) => ({ Wx: get(`rnn.${l}.Wx`), Wh: get(`rnn.${l}.Wh`), b: get(`rnn.${l}.b`), ...extraOf(l) })),
    Wy: get("out.Wy"),
    by: get("out.by"),
  };
}

export const WEIGHT_INIT_DISTS = ["uniform", "normal"] as const;

const WEIGHT_INIT_HELP = `must be ${WEIGHT_INIT_DISTS.map((d) => `${d}:SCALE`).join(" or ")} with SCALE > 0, e.g. uniform:0.08 or normal:0.01`;
/** How the weight matrices start: `DIST:SCALE`, e.g. `uniform:0.08` or `normal:0.01`. */
export const WeightInit = z.string().refine((s) => {
  const [dist, scale, ...rest] = s.split(":");
  return rest.length === 0 && (WEIGHT_INIT_DISTS as readonly string[]).includes(dist) && scale?.trim() !== "" && Number(scale) > 0 && Number.isFinite(Number(scale));
}, WEIGHT_INIT_HELP);

/** char-rnn's initialization. */
export const DEFAULT_WEIGHT_INIT = "uniform:0.08";

/** A validated `DIST:SCALE` as its parts. */
export function parseWeightInit(spec: string): { dist: (typeof WEIGHT_INIT_DISTS)[number]; scale: number } {
  const s = WeightInit.parse(spec);
  const [dist, scale] = s.split(":");
  return { dist: dist as (typeof WEIGHT_INIT_DISTS)[number], scale: Number(scale) };
}

/**
 * Weights Wx, Wh and Wy drawn as `init` says (default Uniform(−0.08, 0.08),
 * as in char-rnn), in paramNames order from one seeded stream; biases as the
 * cell declares them (zeros unless its initBias says otherwise; `forgetBias`
 * overrides the cell's own for a cell with a forget gate); extra
 * weights and the output bias zero.
 */
export function initParams(c: ModelConfig, seed: number, init: string = DEFAULT_WEIGHT_INIT, opts: { forgetBias?: number } = {}): Params {
  const rng = new Random(seed);
  const { dist, scale } = parseWeightInit(init);
  const draw = dist === "normal" ? () => scale * rng.normal() : () => rng.uniform(-scale, scale);
  const cell = cellByName(c.cell);
  const shapes = paramShapes(c);
  const named: Record<string, tf.Tensor> = {};
  for (const name of paramNames(c)) {
    const shape = shapes[name];
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name.endsWith(".Wx") || name.endsWith(".Wh") || name === "out.Wy") for (let i = 0; i < values.length; i++) values[i] = draw();
    else if (name.endsWith(".b") && cell.initBias) values.set(cell.initBias(c.hidden, { forgetBias: opts.forgetBias ?? cell.forgetBias }));
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
