/**
 * The model file format: a folder holding
 *
 *   model.json   { format: "cellscope-char-rnn", version: 1, id, config, vocab,
 *                  corpus: { name, sha256, chars }, training: { ...options,
 *                  history }, weightsManifest: [{ paths: ["weights.bin"],
 *                  weights: [{ name, shape, dtype }] }] }
 *   weights.bin  float32 little-endian weights, concatenated in manifest order
 *
 * `weightsManifest` is tfjs's own layout, so `tf.io.decodeWeights` reads the
 * weights directly. Weight names and shapes are documented in params.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import * as tf from "@tensorflow/tfjs";
import { ModelConfig } from "./config.ts";
import { fromNamed, paramNames, paramShapes, toNamed, type Params } from "./params.ts";
import { decodeArrays, encodeArrays, writeFileAtomic, type WeightSpec } from "./tensor-file.ts";

export const HistoryPoint = z.object({ iteration: z.number(), epoch: z.number(), loss: z.number() });
export type HistoryPoint = z.infer<typeof HistoryPoint>;

/**
 * Text the model wrote at one moment of its training (the lecture's slide of
 * samples improving with training): `train` samples with a fixed seed and
 * prime (lib/train/train-samples.ts) at a few early iterations and at the end
 * of every epoch.
 */
export const TrainingSample = z.object({
  iteration: z.number(),
  epoch: z.number(),
  /** The smoothed training loss then (nats/char). */
  loss: z.number(),
  /** The validation loss, for a sample taken right after a validation. */
  validNats: z.number().optional(),
  text: z.string(),
});
export type TrainingSample = z.infer<typeof TrainingSample>;

export const ModelJson = z.object({
  format: z.literal("cellscope-char-rnn"),
  version: z.literal(1),
  id: z.string(),
  config: ModelConfig,
  vocab: z.array(z.string()),
  corpus: z.object({ name: z.string(), file: z.string().optional(), sha256: z.string(), chars: z.number() }),
  training: z
    .object({
      options: z.record(z.string(), z.unknown()).default({}),
      iterations: z.number().default(0),
      epochs: z.number().default(0),
      seconds: z.number().default(0),
      bestValidNats: z.number().nullable().default(null),
      history: z.object({ train: z.array(HistoryPoint), valid: z.array(HistoryPoint) }).default({ train: [], valid: [] }),
      samples: z.array(TrainingSample).default([]),
    })
    .default({ options: {}, iterations: 0, epochs: 0, seconds: 0, bestValidNats: null, history: { train: [], valid: [] }, samples: [] }),
  /** Per-character test loss measured by `cellscope eval` on a slice, for the shipped-model test. */
  checks: z.array(z.object({ split: z.string(), start: z.number(), chars: z.number(), nats: z.number() })).default([]),
  weightsManifest: z
    .array(
      z.object({
        // A file beside model.json: a model folder cannot point at files elsewhere.
        paths: z.array(z.string().regex(/^(?!\.)[\w.-]+$/, "must be a file name in the model's folder (e.g. weights.bin)")).length(1),
        weights: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), dtype: z.literal("float32") })),
      }),
    )
    .length(1),
});
export type ModelJson = z.infer<typeof ModelJson>;

export interface LoadedModel {
  dir: string;
  meta: ModelJson;
  params: Params;
}

export function modelsDir(): string {
  // The app's server bundle has no import.meta.dirname and runs from the project root; the sources
  // (lib/X/) and the compiled CLI (.build/cli/) are both two folders below it. Not PROJECT_ROOT:
  // the app's bundler cannot scope a path it cannot follow and would trace the whole project.
  return process.env.CELLSCOPE_MODELS ?? (import.meta.dirname ? path.resolve(import.meta.dirname, "../../models") : path.resolve("models"));
}

/** Model folders (each with a model.json) under the models directory, sorted. */
export function listModelDirs(dir = modelsDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => existsSync(path.join(dir, d, "model.json")))
    .sort()
    .map((d) => path.join(dir, d));
}

/** `warpeace-2x256` → models/warpeace-2x256; a path to a folder or model.json is used as is. */
export function resolveModelDir(idOrPath: string): string {
  if (idOrPath.endsWith("model.json")) return path.dirname(idOrPath);
  if (/^[a-z0-9][a-z0-9._-]*$/i.test(idOrPath) && !idOrPath.includes("..")) {
    const dir = path.join(modelsDir(), idOrPath);
    if (existsSync(dir) || !existsSync(idOrPath)) return dir;
  }
  return idOrPath;
}

export function saveModel(dir: string, meta: Omit<ModelJson, "weightsManifest">, params: Params): void {
  const named = toNamed(params as Params<tf.Tensor, tf.Tensor>);
  saveModelArrays(dir, meta, Object.fromEntries(Object.entries(named).map(([k, t]) => [k, t.dataSync() as Float32Array])));
}

/** saveModel for weights held as arrays by model-file name (params.ts), shapes from the config. */
export function saveModelArrays(dir: string, meta: Omit<ModelJson, "weightsManifest">, named: Record<string, Float32Array>): void {
  const shapes = paramShapes(meta.config);
  const specs: WeightSpec[] = paramNames(meta.config).map((name) => ({ name, shape: shapes[name], dtype: "float32" }));
  const json: ModelJson = { ...meta, weightsManifest: [{ paths: ["weights.bin"], weights: specs }] };
  // Weights first: model.json only ever points at a complete weights.bin.
  writeFileAtomic(path.join(dir, "weights.bin"), [encodeArrays(specs, named)]);
  writeFileAtomic(path.join(dir, "model.json"), [JSON.stringify(json, null, 1) + "\n"]);
}

/** Rewrites fields of a model's model.json (atomically), keeping its weights. */
export function updateModelJson(idOrPath: string, patch: Partial<Pick<ModelJson, "checks" | "id" | "training">>): void {
  const { dir, meta } = readModelJson(idOrPath);
  writeFileAtomic(path.join(dir, "model.json"), [JSON.stringify({ ...meta, ...patch }, null, 1) + "\n"]);
}

/** Reads and validates model.json only (cheap; no weights). */
export function readModelJson(idOrPath: string): { dir: string; meta: ModelJson } {
  const dir = resolveModelDir(idOrPath);
  const file = path.join(dir, "model.json");
  if (!existsSync(file)) throw new Error(`unknown model "${idOrPath}": no ${file}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message}): the file is truncated or corrupt`);
  }
  const parsed = ModelJson.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file} is not a Cellscope model: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const meta = parsed.data;
  if (meta.vocab.length !== meta.config.vocabSize) {
    throw new Error(`${file}: the vocabulary has ${meta.vocab.length} characters but the config says ${meta.config.vocabSize}`);
  }
  const expected = paramShapes(meta.config);
  for (const w of meta.weightsManifest[0].weights) {
    const want = expected[w.name];
    if (!want) throw new Error(`${file}: unexpected weight ${w.name} for a ${meta.config.cell}`);
    if (want.join("x") !== w.shape.join("x")) {
      throw new Error(`${file}: weight ${w.name} has shape [${w.shape}] but the config needs [${want}]`);
    }
  }
  const present = new Set(meta.weightsManifest[0].weights.map((w) => w.name));
  const missing = Object.keys(expected).filter((k) => !present.has(k));
  if (missing.length) throw new Error(`${file}: a ${meta.config.cell} needs weight ${missing[0]}, which the manifest lacks`);
  return { dir, meta };
}

export function loadModel(idOrPath: string): LoadedModel {
  const { dir, meta } = readModelJson(idOrPath);
  const bin = path.join(dir, meta.weightsManifest[0].paths[0]);
  if (!existsSync(bin)) throw new Error(`model ${meta.id}: weights file ${bin} is missing`);
  const data = decodeArrays(meta.weightsManifest[0].weights as WeightSpec[], readFileSync(bin), bin);
  const named: Record<string, tf.Tensor> = {};
  for (const w of meta.weightsManifest[0].weights) {
    const v = data[w.name];
    if (!v.every(Number.isFinite)) throw new Error(`${bin}: weight ${w.name} holds NaN or infinite values`);
    named[w.name] = tf.tensor(v, w.shape);
  }
  return { dir, meta, params: fromNamed(named, meta.config.layers) as Params };
}

const loaded = new Map<string, { mtime: number; model: LoadedModel }>();

/**
 * loadModel(dir), once per model folder and version of its model.json (a
 * server samples and runs models many times; the weights are small): a
 * replaced model is read again and the old weights freed.
 */
export function getLoadedModel(dir: string): LoadedModel {
  const mtime = statSync(path.join(dir, "model.json")).mtimeMs;
  const hit = loaded.get(dir);
  if (hit && hit.mtime === mtime) return hit.model;
  if (hit) tf.dispose(hit.model.params as unknown as tf.TensorContainer);
  const model = loadModel(dir);
  loaded.set(dir, { mtime, model });
  return model;
}
