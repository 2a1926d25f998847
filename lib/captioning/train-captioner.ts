/**
 * Trains a captioner (captioner.ts) on scenes made by code (scenes.ts): each
 * epoch visits the training scenes in a fresh order, each with its canonical
 * caption (objects left to right; `targets: "all"`: one of its true captions
 * drawn at random, which the decoder learns less well: it must also choose
 * which object to name first); RMSProp with the char models' recipe (2e-3,
 * decay 0.95, clip 5 by global norm), the learning rate × lrDecay an epoch
 * after `decayAfter`. After every epoch the greedy captions of the validation
 * scenes are scored (true rate, BLEU-4) and the best model so far is saved;
 * at the end the test scenes are scored into captioner.json.
 *
 * Checkpoints (weights, optimizer moments, position) go to
 * OUT/checkpoint.ckpt every few minutes and at each epoch's end; `resume`
 * continues from one. Every random draw of a batch comes from a generator
 * seeded by (seed, epoch, batch), so a resumed run draws what an
 * uninterrupted one would have.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs";
import { z } from "zod";
import { applyUpdate, clipGradients, initOptimizerState, OptimizerConfig, type OptimizerState } from "../model/optimizer.ts";
import { Random } from "../model/random.ts";
import type { WeightSpec } from "../model/tensor-file.ts";
import { readCheckpoint, writeCheckpoint } from "../train/checkpoint.ts";
import { corpusBleu } from "./bleu.ts";
import { beamCaption, caption, captionChunk, captionerFromNamed, captionerNamed, captionLossAndGrads, CaptionerConfig, initCaptioner, type Captioner } from "./captioner.ts";
import { loadCaptioner, saveCaptioner, type CaptionerJson, type CaptionerScores } from "./captioner-file.ts";
import { imagesTensor } from "./encoder.ts";
import { canonicalCaption, captionsOf, isTrue, makeScene, makeScenes, renderScene, type Scene, type Split } from "./scenes.ts";
import { detokenize, tokenize } from "./words.ts";

export const CaptionerTrainOptions = CaptionerConfig.extend({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "ids are lowercase letters, digits, . _ -").default("captioner-lstm"),
  out: z.string().min(1),
  /** Training scenes (train split, scenes 0 … N − 1). */
  scenes: z.number().int().min(10).max(1_000_000).default(40_000),
  validScenes: z.number().int().min(10).max(100_000).default(500),
  testScenes: z.number().int().min(10).max(100_000).default(1_000),
  batch: z.number().int().min(1).max(1000).default(50),
  epochs: z.number().positive().max(1000).default(6),
  lr: z.number().positive().default(2e-3),
  lrDecay: z.number().positive().max(1).default(0.8),
  decayAfter: z.number().int().min(0).default(3),
  clip: z.number().positive().default(5),
  seed: z.number().int().default(1),
  checkpointMinutes: z.number().positive().default(5),
  /** The caption each training scene is taught with: "all", one of its true captions at random; "canonical", always canonicalCaption (scenes.ts). */
  targets: z.enum(["all", "canonical"]).default("canonical"),
});
export type CaptionerTrainOptions = z.infer<typeof CaptionerTrainOptions>;

export interface CaptionerTrainEvent {
  kind: "start" | "iteration" | "valid" | "checkpoint" | "done";
  epoch: number;
  iteration: number;
  totalIterations: number;
  loss?: number;
  scenesPerSec?: number;
  valid?: CaptionerScores;
  message?: string;
}

/** A seed per (seed, epoch, batch): every draw of a batch is reproducible after a resume. */
const drawSeed = (seed: number, epoch: number, batch: number) => (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b) ^ Math.imul(batch + 1, 0xc2b2ae35)) >>> 0;

/** The beam width a finished run's test scenes are also scored with. */
export const TEST_BEAM = 3;

/** Captions of a split's first `count` scenes, greedy (beam 1) or by beam search, scored: true rate and BLEU-4. */
export function scoreCaptioner(m: Captioner, split: Split, count: number, seed = 1, beam = 1): CaptionerScores & { examples: { scene: Scene; caption: string; true: boolean }[] } {
  const scenes = makeScenes(split, count, seed);
  const captions: string[] = [];
  for (let i = 0; i < scenes.length; i += 100) {
    const part = scenes.slice(i, i + 100);
    const images = imagesTensor(part.map(renderScene));
    for (const c of beam === 1 ? caption(m, images) : beamCaption(m, images, { beam })) captions.push(detokenize(c.words));
    images.dispose();
  }
  const ok = captions.map((c, k) => isTrue(c, scenes[k]));
  return {
    split,
    scenes: count,
    trueRate: ok.filter(Boolean).length / count,
    bleu4: corpusBleu(captions.map(tokenize), scenes.map((s) => captionsOf(s).map(tokenize))),
    ...(beam > 1 ? { beam } : {}),
    examples: scenes.map((scene, k) => ({ scene, caption: captions[k], true: ok[k] })),
  };
}

function specsOf(named: Record<string, Tensor>, prefix = ""): WeightSpec[] {
  return Object.entries(named).map(([name, t]) => ({ name: prefix + name, shape: t.shape, dtype: "float32" as const }));
}

/**
 * Trains (or with `resume` continues) a captioner into `out`. `stopped()`,
 * asked after every batch, ends the run with a checkpoint (Ctrl-C); then the
 * result is undefined.
 */
export async function trainCaptioner(
  raw: Record<string, unknown>,
  { resume = false, onEvent = () => {}, stopped = () => false }: { resume?: boolean; onEvent?: (e: CaptionerTrainEvent) => void; stopped?: () => boolean } = {},
): Promise<CaptionerJson | undefined> {
  let o = CaptionerTrainOptions.parse(raw);
  const ckptFile = path.join(o.out, "checkpoint.ckpt");
  mkdirSync(o.out, { recursive: true });
  const opt = OptimizerConfig.parse({ kind: "rmsprop", lr: o.lr, clip: o.clip });
  let model: Captioner;
  let state: OptimizerState;
  let epoch = 0, batchInEpoch = 0, iteration = 0, seconds = 0;
  let history: CaptionerJson["training"]["history"] = [];
  let best = -1;
  let lossSum = 0, lossCount = 0; // this epoch's training loss so far
  if (resume && existsSync(ckptFile)) {
    const { header, data } = readCheckpoint(ckptFile);
    const saved = CaptionerTrainOptions.parse(header.options);
    for (const k of ["cell", "layers", "hidden", "features", "scenes", "batch", "seed"] as const) {
      if (k in raw && raw[k] !== undefined && String(raw[k]) !== String(saved[k])) throw new Error(`cannot resume: the checkpoint was trained with --${k} ${saved[k]}, not ${raw[k]}`);
    }
    o = CaptionerTrainOptions.parse({ ...saved, ...Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)) });
    const tensor = (name: string) => tf.tensor(data[name], (header.specs as WeightSpec[]).find((s) => s.name === name)!.shape);
    const names = (header.specs as WeightSpec[]).filter((s) => s.name.startsWith("w.")).map((s) => s.name.slice(2));
    model = captionerFromNamed(o, Object.fromEntries(names.map((n) => [n, tensor(`w.${n}`)])));
    state = { step: header.step as number, m: Object.fromEntries(names.map((n) => [n, tensor(`m.${n}`)])), v: Object.fromEntries(names.map((n) => [n, tensor(`v.${n}`)])) };
    ({ epoch, batchInEpoch, iteration, seconds, history, best, lossSum = 0, lossCount = 0 } = header as unknown as { epoch: number; batchInEpoch: number; iteration: number; seconds: number; history: typeof history; best: number; lossSum?: number; lossCount?: number });
  } else {
    model = initCaptioner(o, o.seed);
    state = initOptimizerState(captionerNamed(model));
  }
  if (o.batch > o.scenes) throw new Error(`--batch ${o.batch} is more than the ${o.scenes} training scenes`);
  const batches = Math.floor(o.scenes / o.batch);
  const totalIterations = Math.ceil(o.epochs * batches);
  const checkpoint = () => {
    const named = captionerNamed(model);
    const arrays: Record<string, Float32Array> = {};
    for (const [k, t] of Object.entries(named)) arrays[`w.${k}`] = t.dataSync() as Float32Array;
    for (const [k, t] of Object.entries(state.m)) arrays[`m.${k}`] = t.dataSync() as Float32Array;
    for (const [k, t] of Object.entries(state.v)) arrays[`v.${k}`] = t.dataSync() as Float32Array;
    const specs = [...specsOf(named, "w."), ...specsOf(state.m, "m."), ...specsOf(state.v, "v.")];
    writeCheckpoint(ckptFile, { options: o, step: state.step, epoch, batchInEpoch, iteration, seconds, history, best, lossSum, lossCount }, specs, arrays);
  };
  const meta = (): Omit<CaptionerJson, "weightsManifest" | "words" | "format" | "version"> => ({
    id: o.id,
    config: CaptionerConfig.parse(o),
    training: { options: o, epochs: epoch + batchInEpoch / batches, iterations: iteration, seconds: Math.round(seconds), history },
  });
  onEvent({ kind: "start", epoch, iteration, totalIterations, message: resume ? `resuming at epoch ${epoch}, batch ${batchInEpoch}` : undefined });
  let lastCheckpoint = performance.now();
  while (iteration < totalIterations) {
    const lr = o.lr * o.lrDecay ** Math.max(0, epoch + 1 - o.decayAfter);
    const order = Array.from({ length: o.scenes }, (_, i) => i);
    const shuffle = new Random(drawSeed(o.seed, epoch, -1));
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(shuffle.next() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (; batchInEpoch < batches && iteration < totalIterations; batchInEpoch++) {
      const t0 = performance.now();
      const rng = new Random(drawSeed(o.seed, epoch, batchInEpoch));
      const scenes = order.slice(batchInEpoch * o.batch, (batchInEpoch + 1) * o.batch).map((k) => makeScene("train", k, o.seed));
      const captions = scenes.map((s) => {
        if (o.targets === "canonical") return canonicalCaption(s);
        const all = captionsOf(s);
        return all[Math.floor(rng.next() * all.length)];
      });
      const images = imagesTensor(scenes.map(renderScene));
      const out = tf.tidy(() => {
        const r = captionLossAndGrads(model, images, captionChunk(captions));
        const u = applyUpdate(opt, lr, captionerNamed(model), clipGradients(opt, r.grads), state);
        return { loss: r.loss, w: u.weights, m: u.state.m, v: u.state.v };
      });
      images.dispose();
      const loss = out.loss.dataSync()[0];
      out.loss.dispose();
      tf.dispose([...Object.values(captionerNamed(model)), ...Object.values(state.m), ...Object.values(state.v)]);
      model = captionerFromNamed(o, out.w);
      state = { step: state.step + 1, m: out.m, v: out.v };
      iteration++;
      lossSum += loss;
      lossCount++;
      const dt = (performance.now() - t0) / 1000;
      seconds += dt;
      onEvent({ kind: "iteration", epoch: epoch + (batchInEpoch + 1) / batches, iteration, totalIterations, loss, scenesPerSec: o.batch / dt });
      // Yield to the event loop between batches, or a Ctrl-C (SIGINT) handler never runs and stopped() never turns true.
      await new Promise((r) => setImmediate(r));
      if (stopped()) {
        batchInEpoch++;
        checkpoint();
        onEvent({ kind: "checkpoint", epoch, iteration, totalIterations, message: "checkpoint saved: continue with --resume" });
        return undefined;
      }
      if (performance.now() - lastCheckpoint > o.checkpointMinutes * 60_000) {
        batchInEpoch++;
        checkpoint();
        batchInEpoch--;
        lastCheckpoint = performance.now();
        onEvent({ kind: "checkpoint", epoch, iteration, totalIterations });
      }
    }
    if (batchInEpoch < batches) break; // stopped mid-epoch by --epochs
    const valid = scoreCaptioner(model, "valid", o.validScenes, o.seed);
    const { examples: _e, ...scores } = valid;
    epoch++;
    batchInEpoch = 0;
    history.push({ epoch, loss: lossSum / Math.max(1, lossCount), valid: scores });
    (lossSum = 0), (lossCount = 0);
    if (scores.trueRate > best) {
      best = scores.trueRate;
      saveCaptioner(o.out, meta(), model);
    }
    checkpoint();
    lastCheckpoint = performance.now();
    onEvent({ kind: "valid", epoch, iteration, totalIterations, valid: scores });
  }
  // The best model by validation, scored on the test scenes.
  const saved = best >= 0 ? loadCaptioner(o.out) : { model, meta: undefined };
  const { examples: _x, ...test } = scoreCaptioner(saved.model, "test", o.testScenes, o.seed);
  const { examples: _y, ...testBeam } = scoreCaptioner(saved.model, "test", o.testScenes, o.seed, TEST_BEAM);
  const final = { ...(saved.meta ?? meta()), training: meta().training, test, testBeam };
  saveCaptioner(o.out, final, saved.model);
  onEvent({ kind: "done", epoch, iteration, totalIterations, message: `test: ${(test.trueRate * 100).toFixed(1)}% true captions, BLEU-4 ${test.bleu4.toFixed(3)}; beam ${TEST_BEAM}: ${(testBeam.trueRate * 100).toFixed(1)}%, BLEU-4 ${testBeam.bleu4.toFixed(3)}` });
  return { format: "cellscope-captioner", version: 1, words: [], weightsManifest: [], ...final } as CaptionerJson;
}
