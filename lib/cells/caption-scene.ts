/**
 * The captioning page's data (P11): a scene made by code (a test scene by id,
 * or one a visitor drew), the shipped captioner's caption word by word with
 * the five likeliest words at each step, whether the caption is true of the
 * scene, and one decoder unit's value at every word. Nothing is written.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { InputError, NotFoundError } from "../api/errors.ts";
import { MAX_CAPTION_OBJECTS } from "../api/limits.ts";
import * as tf from "@tensorflow/tfjs";
import { beamCaption, caption, captionerNamed, decoderKinds } from "../captioning/captioner.ts";
import { loadCaptioner, type CaptionerJson } from "../captioning/captioner-file.ts";
import { imagesTensor } from "../captioning/encoder.ts";
import { captionsOf, COLORS, IMAGE, isTrue, makeScene, overlap, RADIUS, relationOf, renderScene, SHAPES, SIZES, type Scene, type SceneObject, type Split } from "../captioning/scenes.ts";
import { detokenize } from "../captioning/words.ts";
import { initBackend } from "../model/backend.ts";
import { modelsDir } from "../model/model-file.ts";
import { Random } from "../model/random.ts";
import { parseUnitId } from "../store/quantize.ts";

/** The beam width the page compares the greedy caption with. */
const BEAM = 3;

/** The captioner the page uses: models/captioner-lstm (scripts/train-captioner.sh). */
export const CAPTIONER_ID = "captioner-lstm";

const SceneObjectInput = z.object({
  shape: z.enum(SHAPES),
  color: z.enum(COLORS),
  size: z.enum(SIZES),
  x: z.number().int().min(0).max(IMAGE - 1),
  y: z.number().int().min(0).max(IMAGE - 1),
});

export const CaptionRequest = z
  .object({
    /** A generated scene, SPLIT-K (e.g. "test-17"). */
    scene: z.string().regex(/^(train|valid|test)-\d{1,6}$/, 'a scene is SPLIT-K, e.g. "test-17"').optional(),
    /** A scene of one's own: 1 to MAX_CAPTION_OBJECTS shapes. */
    objects: z.array(SceneObjectInput).min(1, "draw at least one shape").max(MAX_CAPTION_OBJECTS, `a scene holds at most ${MAX_CAPTION_OBJECTS} shapes`).optional(),
    /** The decoder unit to color the words by (e.g. "c:0:12"). */
    unit: z.string().max(20).optional(),
    /** 0: the likeliest word at each step; above: sampled from the softmax at this temperature. */
    temperature: z.number().min(0).max(5).default(0),
    seed: z.number().int().min(0).max(2 ** 31).default(1),
  })
  .refine((r) => (r.scene === undefined) !== (r.objects === undefined), { message: "give a scene id or objects, not both" });
export type CaptionRequest = z.input<typeof CaptionRequest>;

export interface CaptionResult {
  /** The captioner, and the seed its scenes were made with (the page draws the same test scenes). */
  captioner: { id: string; cell: string; layers: number; hidden: number; features: number; sceneSeed: number; test?: CaptionerJson["test"]; testBeam?: CaptionerJson["testBeam"] };
  scene: { id: string | null; objects: SceneObject[] };
  caption: string;
  /** True of the scene, by the grammar's parser (scenes.ts isTrue). */
  true: boolean;
  /** Every true caption the grammar writes for the scene. */
  references: string[];
  /** The same picture decoded by beam search (captioner.ts beamCaption, width BEAM), for comparison with the greedy caption. */
  beam: { width: number; caption: string; true: boolean };
  /** Word by word: the word taken (the last is <end>) and the five likeliest. */
  steps: { word: string; top: { word: string; p: number }[] }[];
  /** The unit asked for, with its value after reading each step's input. */
  unit?: { id: string; values: number[] };
  /** Unit ids one may color by: KIND:LAYER:INDEX. */
  kinds: string[];
}

let cached: { mtime: number; value: ReturnType<typeof loadCaptioner> } | undefined;

/** The shipped captioner, loaded once (again when its file changes). */
export function getCaptioner(): ReturnType<typeof loadCaptioner> {
  const dir = path.join(modelsDir(), CAPTIONER_ID);
  const file = path.join(dir, "captioner.json");
  if (!existsSync(file)) throw new NotFoundError(`no captioner: ${file} is missing (scripts/train-captioner.sh trains one)`);
  const mtime = statSync(file).mtimeMs;
  if (cached?.mtime !== mtime) {
    if (cached) tf.dispose(Object.values(captionerNamed(cached.value.model)));
    cached = { mtime, value: loadCaptioner(dir) };
  }
  return cached.value;
}

/** Why a drawn scene cannot be captioned fairly, or null: shapes must not overlap, and two must stand clearly apart. */
export function sceneProblem(objects: readonly SceneObject[]): string | null {
  for (const [i, o] of objects.entries()) {
    const r = RADIUS[o.size];
    if (o.x < r + 1 || o.x > IMAGE - r - 2 || o.y < r + 1 || o.y > IMAGE - r - 2) return `shape ${i + 1} runs off the picture: a ${o.size} shape's center must be ${r + 1} to ${IMAGE - r - 2} pixels from the top left`;
  }
  for (let i = 0; i < objects.length; i++)
    for (let j = i + 1; j < objects.length; j++) if (overlap(objects[i], objects[j])) return `shapes ${i + 1} and ${j + 1} overlap: move them apart`;
  if (objects.length === 2 && !relationOf(objects[0], objects[1])) return "the two shapes are too close to a diagonal to say which is above or left: move one";
  return null;
}

export async function captionScene(input: CaptionRequest): Promise<CaptionResult> {
  const req = CaptionRequest.parse(input);
  await initBackend();
  const { meta, model } = getCaptioner();
  let scene: Scene;
  const sceneSeed = Number((meta.training.options as { seed?: number }).seed ?? 1);
  if (req.scene) {
    const [split, k] = req.scene.split("-");
    scene = makeScene(split as Split, Number(k), sceneSeed);
  } else {
    const problem = sceneProblem(req.objects!);
    if (problem) throw new InputError(problem, "bad_scene");
    scene = { id: "", objects: req.objects! };
  }
  const kinds: string[] = [];
  const recorded = decoderKinds(model.config.cell);
  for (const kind of recorded) for (let l = 0; l < model.config.layers; l++) kinds.push(`${kind}:${l}:0`);
  let unit: { kind: string; layer: number; index: number } | undefined;
  if (req.unit) {
    let u: { kind: string; layer: number; index: number } | undefined;
    try {
      u = parseUnitId(req.unit);
    } catch (e) {
      throw new InputError((e as Error).message, "bad_unit");
    }
    if (!recorded.includes(u.kind) || u.layer >= model.config.layers || u.index >= model.config.hidden) {
      throw new InputError(`no unit "${req.unit}" in the captioner's decoder (${recorded.join(" or ")} : layer 0–${model.config.layers - 1} : 0–${model.config.hidden - 1}, e.g. ${recorded[0]}:0:12)`, "bad_unit");
    }
    unit = u;
  }
  const images = imagesTensor([renderScene(scene)]);
  const [c] = caption(model, images, { temperature: req.temperature, rng: new Random(req.seed), keepUnits: unit !== undefined });
  const [b] = beamCaption(model, images, { beam: BEAM });
  images.dispose();
  const beamText = detokenize(b.words);
  const text = detokenize(c.words);
  return {
    captioner: { id: meta.id, cell: model.config.cell, layers: model.config.layers, hidden: model.config.hidden, features: model.config.features, sceneSeed, ...(meta.test ? { test: meta.test } : {}), ...(meta.testBeam ? { testBeam: meta.testBeam } : {}) },
    scene: { id: scene.id || null, objects: scene.objects },
    caption: text,
    true: isTrue(text, scene),
    references: captionsOf(scene),
    beam: { width: BEAM, caption: beamText, true: isTrue(beamText, scene) },
    steps: c.steps.map(({ word, top }) => ({ word, top: top.map((t) => ({ word: t.word, p: +t.p.toFixed(4) })) })),
    ...(unit ? { unit: { id: req.unit!, values: c.steps.map((s) => +s.units![unit.kind][unit.layer][unit.index].toFixed(4)) } } : {}),
    kinds,
  };
}
