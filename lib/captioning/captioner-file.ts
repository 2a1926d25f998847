/**
 * A captioner on disk: a folder with `captioner.json` (what it is, how it was
 * trained, what it scored) and `weights.bin` (every weight by name, float32,
 * the layout of `weightsManifest`, as a char model's model.json). Written
 * weights first, then the JSON, each atomically, so the JSON only ever points
 * at complete weights.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { decodeArrays, encodeArrays, writeFileAtomic, type WeightSpec } from "../model/tensor-file.ts";
import { captionerFromNamed, captionerNamed, captionerShapes, CaptionerConfig, type Captioner } from "./captioner.ts";
import { WORDS } from "./words.ts";

/** Captioner folders (each with a captioner.json) under a models directory, sorted. */
export function listCaptionerDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => existsSync(path.join(dir, d, "captioner.json")))
    .sort()
    .map((d) => path.join(dir, d));
}

export const CaptionerScores = z.object({
  split: z.string(),
  scenes: z.number().int(),
  /** Share of the captions true of their scene (scenes.ts isTrue). */
  trueRate: z.number(),
  /** Corpus BLEU-4 of the captions against every true caption of each scene. */
  bleu4: z.number(),
  /** How they were decoded: 1 is greedy (and the default), K a beam search of width K (captioner.ts beamCaption). */
  beam: z.number().int().min(1).optional(),
});
export type CaptionerScores = z.infer<typeof CaptionerScores>;

export const CaptionerJson = z.object({
  format: z.literal("cellscope-captioner"),
  version: z.literal(1),
  id: z.string().min(1),
  config: CaptionerConfig,
  words: z.array(z.string()),
  training: z.object({
    options: z.record(z.string(), z.unknown()),
    epochs: z.number(),
    iterations: z.number().int(),
    seconds: z.number(),
    /** Per epoch: the mean training loss (nats/word) and the validation scores. */
    history: z.array(z.object({ epoch: z.number(), loss: z.number(), valid: CaptionerScores })),
  }),
  /** Greedy captions of the test scenes, scored. */
  test: CaptionerScores.optional(),
  /** The same scenes decoded by beam search (test.beam says its width). */
  testBeam: CaptionerScores.optional(),
  weightsManifest: z.array(z.object({ paths: z.array(z.string()), weights: z.array(z.object({ name: z.string(), shape: z.array(z.number()), dtype: z.literal("float32") })) })),
});
export type CaptionerJson = z.infer<typeof CaptionerJson>;

export function saveCaptioner(dir: string, meta: Omit<CaptionerJson, "weightsManifest" | "words" | "format" | "version">, m: Captioner): void {
  const named = captionerNamed(m);
  const specs: WeightSpec[] = Object.entries(named).map(([name, t]) => ({ name, shape: t.shape, dtype: "float32" }));
  const json: CaptionerJson = { format: "cellscope-captioner", version: 1, ...meta, words: [...WORDS], weightsManifest: [{ paths: ["weights.bin"], weights: specs as CaptionerJson["weightsManifest"][0]["weights"] }] };
  writeFileAtomic(path.join(dir, "weights.bin"), [encodeArrays(specs, Object.fromEntries(Object.entries(named).map(([k, t]) => [k, t.dataSync() as Float32Array])))]);
  writeFileAtomic(path.join(dir, "captioner.json"), [JSON.stringify(json, null, 1) + "\n"]);
}

/** Reads and checks captioner.json: the words must be this build's and every weight the config's shape. */
export function readCaptionerJson(dir: string): CaptionerJson {
  const file = path.join(dir, "captioner.json");
  if (!existsSync(file)) throw new Error(`no captioner in ${dir}: ${file} is missing`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message})`);
  }
  const parsed = CaptionerJson.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file} is not a Cellscope captioner: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const meta = parsed.data;
  if (meta.words.join(" ") !== WORDS.join(" ")) throw new Error(`${file}: its words differ from this version's scene grammar`);
  const shapes = captionerShapes(meta.config);
  const specs = meta.weightsManifest[0].weights;
  for (const w of specs) {
    const want = shapes[w.name];
    if (!want) throw new Error(`${file}: unexpected weight ${w.name}`);
    if (want.join("x") !== w.shape.join("x")) throw new Error(`${file}: weight ${w.name} has shape [${w.shape}] but the config needs [${want}]`);
  }
  const missing = Object.keys(shapes).filter((k) => !specs.some((w) => w.name === k));
  if (missing.length) throw new Error(`${file}: weight ${missing[0]} is missing`);
  return meta;
}

export function loadCaptioner(dir: string): { meta: CaptionerJson; model: Captioner } {
  const meta = readCaptionerJson(dir);
  const bin = path.join(dir, "weights.bin");
  if (!existsSync(bin)) throw new Error(`captioner ${meta.id}: ${bin} is missing`);
  const specs = meta.weightsManifest[0].weights as WeightSpec[];
  const data = decodeArrays(specs, readFileSync(bin), bin);
  const named = Object.fromEntries(specs.map((w) => [w.name, tf.tensor(data[w.name], w.shape)]));
  return { meta, model: captionerFromNamed(meta.config, named) };
}
