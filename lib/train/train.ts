/**
 * The training loop: truncated BPTT over B contiguous streams of the training
 * split, state carried from batch to batch, gradient clipping, Adam, RMSProp
 * or Adagrad with per-epoch learning-rate decay, validation every epoch (and
 * every few minutes on big corpora), the best-validation weights saved as the
 * model, and checkpoints to resume from.
 *
 * min-char-rnn's recipe is a set of options, not a special case (its loop:
 * p advancing by T through the data, hprev carried, both reset when a chunk
 * would run past the end):
 *   --cell rnn --layers 1 --hidden 100 --seq 25 --batch 1 --dropout 0
 *   --optimizer adagrad --lr 0.1 --lr-decay 1 --clip 5 --clip-mode value
 *   --loss sum --weight-init normal:0.01
 * With --batch 1 the one stream is the training split itself: chunk k reads
 * characters k·T … k·T + T (its targets one further), and an epoch ends, with
 * the state zeroed, at the last chunk that fits, as min-char-rnn's p does.
 * lib/train/min-char-rnn.test.ts checks the loss curve against an
 * independent numpy implementation (scripts/min-char-rnn.py).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import * as tf from "@tensorflow/tfjs";
import type { Tensor, Tensor2D } from "@tensorflow/tfjs";
import { loadCorpus, splitRange, type Corpus } from "../corpus/corpus.ts";
import { sameVocab } from "../corpus/vocab.ts";
import { cellByName, CELL_NAMES } from "../model/cells.ts";
import { zeroState } from "../model/cell.ts";
import { countParams, ModelConfig, trainFlopsPerChar } from "../model/config.ts";
import { evaluate } from "../model/evaluate.ts";
import { loadModel, readModelJson, saveModel, modelsDir, updateModelJson, type HistoryPoint, type ModelJson, type TrainingSample } from "../model/model-file.ts";
import { LOSS_REDUCTIONS, type Chunk } from "../model/network.ts";
import { CLIP_MODES, initOptimizerState, OptimizerConfig, OPTIMIZERS } from "../model/optimizer.ts";
import { DEFAULT_WEIGHT_INIT, fromNamed, initParams, paramNames, toNamed, WeightInit, type Params } from "../model/params.ts";
import { writeWeightsJson } from "../model/weights-json.ts";
import { Random } from "../model/random.ts";
import type { WeightSpec } from "../model/tensor-file.ts";
import { MODEL_ID_PATTERN } from "../model/model-id.ts";
import { MAX_MODEL_ID_CHARS } from "../api/limits.ts";
import { readCheckpoint, writeCheckpoint } from "./checkpoint.ts";
import { disposeTrainer, trainStep, type TrainerState } from "./step.ts";
import { DataParallel } from "./data-parallel.ts";
import { badWorkers, defaultWorkers } from "../model/workers.ts";
import { biasCopies } from "../model/torch-weights.ts";
import { drawTrainingSample, SAMPLE_ITERATIONS } from "./train-samples.ts";

export const TrainOptions = z.object({
  corpus: z.string().min(1),
  cell: z.enum(CELL_NAMES, { message: `must be one of ${CELL_NAMES.join(", ")}` }).default("lstm"),
  layers: z.number().int().min(1, "must be 1 to 3").max(3, "must be 1 to 3").default(2),
  hidden: z.number().int().min(32, "must be 32 to 1024").max(1024, "must be 32 to 1024").default(256),
  dropout: z.number().min(0).max(0.9).default(0.1),
  epochs: z.number().int().min(1).max(1000).default(10),
  optimizer: z.enum(OPTIMIZERS, { message: `must be one of ${OPTIMIZERS.join(", ")}` }).default("adam"),
  lr: z.number().positive().max(1).default(2e-3),
  /** Learning rate × lrDecay per epoch once `decayAfter` epochs are done. */
  lrDecay: z.number().positive().max(1).default(0.95),
  decayAfter: z.number().int().min(0).default(10),
  clip: z.number().positive().default(5),
  /** norm: scale all gradients so their global norm is at most `clip` (char-rnn); value: clamp each element to ±clip (min-char-rnn). */
  clipMode: z.enum(CLIP_MODES, { message: `must be one of ${CLIP_MODES.join(", ")}` }).default("norm"),
  /** What the gradients are of: the chunk's mean loss per character, or its sum over the chunk's characters (min-char-rnn). The loss reported is per character either way. */
  loss: z.enum(LOSS_REDUCTIONS, { message: `must be one of ${LOSS_REDUCTIONS.join(", ")}` }).default("mean"),
  /** How the weight matrices start (params.ts): uniform:0.08 (char-rnn) or normal:0.01 (min-char-rnn). */
  weightInit: WeightInit.default(DEFAULT_WEIGHT_INIT),
  batch: z.number().int().min(1, "must be 1 to 1000").max(1000, "must be 1 to 1000").default(50),
  seq: z.number().int().min(2, "must be 2 to 1000").max(1000, "must be 2 to 1000").default(100),
  seed: z.number().int().default(1),
  out: z.string().optional(),
  id: z.string().optional(),
  checkpointMinutes: z.number().positive().default(5),
  validMinutes: z.number().positive().default(20),
  /**
   * Bias vectors per gate: 1 (Cellscope's b), or 2 as PyTorch's and char-rnn's
   * cells keep them (b_ih and b_hh, each taking its own step, so their sum moves
   * twice as far: lib/model/optimizer.ts). Same forward pass either way.
   */
  biasCopies: z.union([z.literal(1), z.literal(2)], { message: "must be 1 or 2" }).default(1),
  /** The forget gate's initial bias (cells with one: the LSTM's 1 by default). */
  forgetBias: z.number().min(-10).max(10).optional(),
  /** Zero the state carried between batches every this many batches (besides each epoch's start); never by default. */
  resetEvery: z.number().int().positive().optional(),
  /** Keep samples over training in model.json (train-samples.ts): at a few early iterations and each epoch's end. */
  samples: z.boolean().default(true),
  /**
   * Worker threads to split each batch's streams among (data-parallel.ts;
   * default: one per core, at most 8). The result does not depend on it beyond
   * float rounding, so a run may resume with another number.
   */
  workers: z
    .number()
    .superRefine((w, ctx) => {
      const why = badWorkers(w);
      if (why) ctx.addIssue({ code: "custom", message: why });
    })
    .optional(),
  /** Stop after this many iterations in total (benchmarks, tests). */
  maxIterations: z.number().int().positive().optional(),
  /**
   * Start from this model's weights (a model folder or id) when there is no
   * checkpoint to resume: training continues from its epoch and history with
   * fresh optimizer state. For picking up a committed model whose checkpoint
   * is gone.
   */
  init: z.string().optional(),
  /** Also write the weights training starts from to this file, as JSON (lib/model/weights-json.ts), for tools such as scripts/min-char-rnn.py. */
  exportInit: z.string().optional(),
});
export type TrainOptions = z.infer<typeof TrainOptions>;

/** Options that must match to resume a checkpoint: they define the model and its data. */
const FIXED = ["corpus", "cell", "layers", "hidden", "batch", "seq", "optimizer", "seed"] as const;

export interface TrainEvent {
  kind: "start" | "iteration" | "valid" | "sample" | "checkpoint" | "saved" | "done" | "stopped";
  iteration: number;
  epoch: number;
  batchInEpoch: number;
  batchesPerEpoch: number;
  totalIterations: number;
  /** The training loss smoothed over iterations (nats/char). */
  loss?: number;
  /** "iteration": this batch's own loss (nats/char), before the update, unsmoothed. */
  batchLoss?: number;
  validNats?: number;
  charsPerSec?: number;
  message?: string;
}

export interface TrainRun {
  options: TrainOptions;
  dir: string;
  checkpointFile: string;
  stop: () => void;
  done: Promise<{ iterations: number; bestValidNats: number | null; stopped: boolean }>;
}

interface Progress {
  epoch: number;
  batchInEpoch: number;
  iteration: number;
  rngState: number;
  seconds: number;
  bestValidNats: number | null;
  history: { train: HistoryPoint[]; valid: HistoryPoint[] };
  /** Absent in checkpoints written before samples were kept. */
  samples?: TrainingSample[];
}

/** The most training-curve points model.json keeps: a batch-1 run of 240,000 iterations made it 2.5 MB, read on every model page. */
export const MAX_HISTORY_POINTS = 2000;

/** Every other point, once there are more than MAX_HISTORY_POINTS (the curve's shape stays; its spacing doubles). */
export function thinHistory(points: HistoryPoint[]): HistoryPoint[] {
  return points.length > MAX_HISTORY_POINTS ? points.filter((_, i) => i % 2 === 1) : points;
}

/** Iterations between training-curve points: 10 at first, doubling each time thinHistory halves the curve. */
export function historyStride(points: readonly HistoryPoint[]): number {
  const n = points.length;
  return n >= 2 ? Math.max(10, points[n - 1].iteration - points[n - 2].iteration) : 10;
}

export function defaultModelId(o: Pick<TrainOptions, "corpus" | "layers" | "hidden">): string {
  return `${path.basename(o.corpus).replace(/\.[^.]*$/, "")}-${o.layers}x${o.hidden}`;
}

/** Builds the chunk for batch k of an epoch: stream s reads ids[s·streamLen + k·T + t]. */
export function makeChunk(ids: Int32Array, streamLen: number, k: number, T: number, B: number): Chunk {
  const inputs = new Int32Array(T * B);
  const targets = new Int32Array(T * B);
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < B; s++) {
      const p = s * streamLen + k * T + t;
      inputs[t * B + s] = ids[p];
      targets[t * B + s] = ids[p + 1];
    }
  }
  return { inputs, targets, steps: T, batch: B };
}

/**
 * Starts (or, with `resume`, continues) a training run. Progress is reported
 * through `onEvent`; `stop()` ends it after the current batch with a checkpoint.
 */
export function train(
  raw: Partial<TrainOptions> & { corpus: string },
  { resume = false, onEvent = () => {} }: { resume?: boolean; onEvent?: (e: TrainEvent) => void } = {},
): TrainRun {
  const parsed = TrainOptions.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    // Named as the flag is (lrDecay → --lr-decay).
    throw new Error(`invalid option --${i.path.join(".").replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}: ${i.message}`);
  }
  let options = parsed.data;
  const id = options.id ?? (options.out ? path.basename(options.out) : defaultModelId(options));
  // The id is how the explorer and its API name the model: one they would refuse is refused here, before hours of training.
  if (!MODEL_ID_PATTERN.test(id)) {
    throw new Error(`"${id}" cannot be a model id (the name of --out's folder): use letters, digits, ".", "_" and "-", starting with a letter or digit, at most ${MAX_MODEL_ID_CHARS} characters`);
  }
  const dir = options.out ?? path.join(modelsDir(), id);
  const checkpointFile = path.join(dir, "checkpoint.ckpt");
  let stopRequested = false;

  // A resumed run is the checkpoint's run: its options are read before anything is built from them, so that
  // `--resume` alone continues a non-default run (say min-char-rnn's: --cell rnn --batch 1 --dropout 0 --clip-mode value).
  const checkpoint = resume && existsSync(checkpointFile) ? readCheckpoint(checkpointFile) : undefined;
  if (checkpoint) {
    const saved = checkpoint.header.options as TrainOptions;
    for (const k of FIXED) {
      if (k in raw && raw[k] !== undefined && String(raw[k]) !== String(saved[k])) {
        throw new Error(`cannot resume: the checkpoint was trained with --${k} ${saved[k]}, not ${raw[k]}`);
      }
    }
    // Training length and timing may change on resume; the model's definition may not.
    // Parsed again so that an option newer than the checkpoint takes its default.
    options = TrainOptions.parse({ ...saved, ...Object.fromEntries(Object.entries(parsed.data).filter(([k]) => k in raw && !(FIXED as readonly string[]).includes(k))) });
    // How many cores to use is this invocation's to say, not the checkpoint's.
    options.workers = parsed.data.workers;
  }

  const corpus: Corpus = loadCorpus(options.corpus);
  const { end: trainEnd } = splitRange(corpus.ids.length, "train");
  const valid = splitRange(corpus.ids.length, "valid");
  const B = options.batch;
  const T = options.seq;
  const streamLen = Math.floor((trainEnd - 1) / B);
  const batchesPerEpoch = Math.floor(streamLen / T);
  if (batchesPerEpoch < 1) {
    throw new Error(
      `corpus ${corpus.name} is too short: its training split has ${trainEnd} characters, fewer than one batch of ${B} streams × ${T} steps needs (${B * T + 1})`,
    );
  }
  if (valid.end - valid.start < 2) throw new Error(`corpus ${corpus.name} is too short for a validation split`);

  const config = ModelConfig.parse({ cell: options.cell, layers: options.layers, hidden: options.hidden, vocabSize: corpus.vocab.length, dropout: options.dropout });
  const cell = cellByName(config.cell);
  const names = paramNames(config);

  let trainer: TrainerState;
  let progress: Progress;

  if (checkpoint) {
    const { header, data } = checkpoint;
    if (header.corpusSha256 !== corpus.sha256) {
      throw new Error(`cannot resume: corpus ${corpus.name} changed since the checkpoint (sha256 differs)`);
    }
    if (!sameVocab(header.vocab as string[], corpus.vocab)) {
      throw new Error(`cannot resume: the checkpoint's vocabulary (${(header.vocab as string[]).length} characters) differs from corpus ${corpus.name}'s (${corpus.vocab.length})`);
    }
    const shapes = Object.fromEntries(header.specs.map((s) => [s.name, s.shape]));
    const t = (k: string) => tf.tensor(data[k], shapes[k]);
    trainer = {
      params: fromNamed(Object.fromEntries(names.map((n) => [n, t(n)])), config.layers) as Params,
      opt: {
        step: header.optimizerStep as number,
        m: Object.fromEntries(names.map((n) => [n, t(`m.${n}`)])),
        v: Object.fromEntries(names.map((n) => [n, t(`v.${n}`)])),
      },
      state: Array.from({ length: config.layers }, (_, l) => Object.fromEntries(cell.state.map((k) => [k, t(`state.${l}.${k}`) as Tensor2D]))),
    };
    progress = header.progress as Progress;
  } else if (options.init) {
    const from = loadModel(options.init);
    const c = from.meta.config;
    if (c.layers !== config.layers || c.hidden !== config.hidden || c.cell !== config.cell) {
      throw new Error(`cannot start from ${options.init}: it is a ${c.layers}x${c.hidden} ${c.cell}, not ${config.layers}x${config.hidden} ${config.cell}`);
    }
    if (!sameVocab(from.meta.vocab, corpus.vocab)) throw new Error(`cannot start from ${options.init}: its vocabulary differs from corpus ${corpus.name}'s`);
    trainer = {
      params: from.params,
      opt: initOptimizerState(toNamed(from.params as Params<Tensor, Tensor>)),
      state: Array.from({ length: config.layers }, () => zeroState(cell, B, config.hidden)),
    };
    const t = from.meta.training;
    const epoch = Math.round(t.epochs);
    progress = {
      epoch,
      batchInEpoch: 0,
      iteration: epoch * batchesPerEpoch,
      rngState: (options.seed ^ 0x5eed) + epoch,
      seconds: t.seconds,
      bestValidNats: t.bestValidNats,
      history: t.history,
      samples: t.samples,
    };
    onEvent({ kind: "start", iteration: progress.iteration, epoch, batchInEpoch: 0, batchesPerEpoch, totalIterations: 0, message: `starting from ${from.meta.id} (epoch ${epoch}, best validation ${t.bestValidNats?.toFixed(4) ?? "not measured"})` });
  } else {
    if (resume) onEvent({ kind: "start", iteration: 0, epoch: 0, batchInEpoch: 0, batchesPerEpoch, totalIterations: 0, message: `no checkpoint in ${dir}: starting a new run` });
    if (options.forgetBias !== undefined && cell.forgetBias === undefined) throw new Error(`--forget-bias applies to a cell with a forget gate (lstm), not ${config.cell}`);
    const params = initParams(config, options.seed, options.weightInit, { forgetBias: options.forgetBias });
    trainer = {
      params,
      opt: initOptimizerState(toNamed(params as Params<Tensor, Tensor>)),
      state: Array.from({ length: config.layers }, () => zeroState(cell, B, config.hidden)),
    };
    progress = { epoch: 0, batchInEpoch: 0, iteration: 0, rngState: options.seed ^ 0x5eed, seconds: 0, bestValidNats: null, history: { train: [], valid: [] }, samples: [] };
  }
  // This invocation's own request: a resumed run does not inherit it from the checkpoint's options.
  if (parsed.data.exportInit) writeWeightsJson(parsed.data.exportInit, config, corpus.vocab, trainer.params);
  const optimizer = OptimizerConfig.parse({ kind: options.optimizer, lr: options.lr, clip: options.clip, clipMode: options.clipMode });
  const copies = options.biasCopies === 2 ? Object.fromEntries(Object.entries(biasCopies(config)).map(([k, v]) => [k, tf.tensor1d(v)])) : {};
  const totalIterations = Math.min(options.epochs * batchesPerEpoch, options.maxIterations ?? Infinity);
  if (progress.iteration >= totalIterations) {
    // --epochs counts from the model's first epoch, so continuing needs a larger number.
    const done = (progress.iteration / batchesPerEpoch).toFixed(2).replace(/\.00$/, "");
    const from = resume ? `the checkpoint in ${dir}` : options.init!;
    throw new Error(`nothing to train: ${from} has trained ${done} epochs (iteration ${progress.iteration}), and --epochs ${options.epochs}${options.maxIterations !== undefined ? ` / --max-iterations ${options.maxIterations}` : ""} ends there; --epochs counts from the first epoch, so ask for more (e.g. --epochs ${Math.floor(progress.iteration / batchesPerEpoch) + 2})`);
  }

  const meta = (): Omit<ModelJson, "weightsManifest"> => ({
    format: "cellscope-char-rnn",
    version: 1,
    id,
    config,
    vocab: [...corpus.vocab],
    corpus: { name: corpus.name, file: path.relative(process.cwd(), corpus.file), sha256: corpus.sha256, chars: corpus.ids.length },
    training: {
      options: { ...options, params: countParams(config), flopsPerChar: trainFlopsPerChar(config) },
      iterations: progress.iteration,
      epochs: progress.iteration / batchesPerEpoch,
      seconds: Math.round(progress.seconds),
      bestValidNats: progress.bestValidNats,
      history: progress.history,
      samples: progress.samples ?? [],
    },
    checks: [],
  });

  const saveCheckpoint = () => {
    const { params, opt, state } = trainer;
    const named = toNamed(params as Params<Tensor, Tensor>);
    const data: Record<string, Float32Array> = {};
    const specs: WeightSpec[] = [];
    const add = (name: string, t: Tensor) => {
      specs.push({ name, shape: t.shape, dtype: "float32" });
      data[name] = t.dataSync() as Float32Array;
    };
    for (const n of names) add(n, named[n]);
    for (const n of names) add(`m.${n}`, opt.m[n]);
    for (const n of names) add(`v.${n}`, opt.v[n]);
    state.forEach((s, l) => cell.state.forEach((k) => add(`state.${l}.${k}`, s[k])));
    writeCheckpoint(checkpointFile, { options, config, vocab: corpus.vocab, corpusSha256: corpus.sha256, optimizerStep: opt.step, progress }, specs, data);
  };

  const validate = async () => {
    const r = await evaluate(cell, trainer.params, corpus.ids, valid.start, valid.end, { streams: 50, warmup: 200 });
    const epochF = progress.epoch + progress.batchInEpoch / batchesPerEpoch;
    progress.history.valid.push({ iteration: progress.iteration, epoch: epochF, loss: r.nats });
    const best = progress.bestValidNats === null || r.nats < progress.bestValidNats;
    if (best) {
      progress.bestValidNats = r.nats;
      saveModel(dir, meta(), trainer.params);
    }
    return { nats: r.nats, best };
  };

  const done = (async () => {
    const rng = new Random(progress.rngState);
    const ev = (kind: TrainEvent["kind"], extra: Partial<TrainEvent> = {}) =>
      onEvent({ kind, iteration: progress.iteration, epoch: progress.epoch, batchInEpoch: progress.batchInEpoch, batchesPerEpoch, totalIterations, ...extra });
    /** Samples the current weights (train-samples.ts) into the history; model.json gets it with the next save. */
    const takeSample = (loss: number, validNats?: number) => {
      const text = drawTrainingSample(cell, trainer.params as Params, corpus.vocab);
      (progress.samples ??= []).push({ iteration: progress.iteration, epoch: progress.iteration / batchesPerEpoch, loss, ...(validNats !== undefined ? { validNats } : {}), text });
      // The model.json of the best weights so far gets the samples too (it is written again only at the next best validation).
      if (existsSync(path.join(dir, "model.json"))) {
        const { meta: saved } = readModelJson(dir);
        updateModelJson(dir, { training: { ...saved.training, samples: progress.samples } });
      }
      ev("sample", { message: `sample at iteration ${progress.iteration}: ${JSON.stringify(text.slice(0, 60))}…` });
    };


    const workers = Math.min(options.workers ?? defaultWorkers(), B);
    const parallel = workers > 1 ? await DataParallel.start(config, workers) : undefined;
    ev("start", { message: `${id}: ${countParams(config).toLocaleString("en")} weights, ${batchesPerEpoch} batches per epoch, ${workers === 1 ? "1 worker" : `${workers} workers`}, ${dir}` });
    let lastCkpt = performance.now();
    let lastValid = performance.now();
    let smooth: number | undefined;
    let stopped = false;
    let windowStart = performance.now();
    let windowIters = 0;
    try {
      while (progress.iteration < totalIterations && progress.epoch < options.epochs) {
        // Yield to the event loop between batches so Ctrl-C (SIGINT) is noticed.
        await new Promise((r) => setImmediate(r));
        if (stopRequested) {
          stopped = true;
          break;
        }
        const t0 = performance.now();
        const lr = options.lr * options.lrDecay ** Math.max(0, progress.epoch + 1 - options.decayAfter);
        const chunk = makeChunk(corpus.ids, streamLen, progress.batchInEpoch, T, B);
        const loss = parallel ? await parallel.step(cell, optimizer, lr, trainer, chunk, rng, options.loss, copies) : trainStep(cell, config, optimizer, lr, trainer, chunk, rng, options.loss, copies);
        if (!Number.isFinite(loss)) throw new Error(`the loss became ${loss} at iteration ${progress.iteration}: lower --lr`);
        progress.rngState = rng.state;
        progress.iteration++;
        progress.batchInEpoch++;
        progress.seconds += (performance.now() - t0) / 1000;
        smooth = smooth === undefined ? loss : 0.98 * smooth + 0.02 * loss;
        if (progress.iteration % historyStride(progress.history.train) === 0) {
          progress.history.train.push({ iteration: progress.iteration, epoch: progress.epoch + progress.batchInEpoch / batchesPerEpoch, loss: smooth });
          progress.history.train = thinHistory(progress.history.train);
        }
        windowIters++;
        const rate = (windowIters * T * B) / ((performance.now() - windowStart) / 1000);
        if (performance.now() - windowStart > 30_000) {
          windowStart = performance.now();
          windowIters = 0;
        }
        ev("iteration", { loss: smooth, batchLoss: loss, charsPerSec: rate });
        if (options.samples && SAMPLE_ITERATIONS.includes(progress.iteration)) takeSample(smooth);

        const epochEnd = progress.batchInEpoch >= batchesPerEpoch;
        if (!epochEnd && options.resetEvery !== undefined && progress.batchInEpoch % options.resetEvery === 0) {
          // The recipe study's "reset the carried state every K batches": streams start over from zeros.
          tf.dispose(trainer.state.flatMap((s) => Object.values(s)));
          trainer.state = Array.from({ length: config.layers }, () => zeroState(cell, B, config.hidden));
        }
        if (epochEnd) {
          const v = await validate();
          progress.epoch++;
          progress.batchInEpoch = 0;
          tf.dispose(trainer.state.flatMap((s) => Object.values(s)));
          trainer.state = Array.from({ length: config.layers }, () => zeroState(cell, B, config.hidden));
          lastValid = performance.now();
          if (options.samples) takeSample(smooth, v.nats);
          ev("valid", { validNats: v.nats, message: v.best ? "best so far: model saved" : undefined });
        } else if (performance.now() - lastValid > options.validMinutes * 60_000) {
          const v = await validate();
          lastValid = performance.now();
          ev("valid", { validNats: v.nats, message: v.best ? "best so far: model saved" : undefined });
        }
        if (epochEnd || performance.now() - lastCkpt > options.checkpointMinutes * 60_000) {
          saveCheckpoint();
          lastCkpt = performance.now();
          ev("checkpoint");
        }
      }
      if (stopped) {
        saveCheckpoint();
        ev("stopped", { message: `checkpoint saved: continue with --resume` });
      } else {
        if (progress.bestValidNats === null || progress.batchInEpoch > 0) {
          // A run that ended mid-epoch (maxIterations) still leaves a model.
          const v = await validate();
          ev("valid", { validNats: v.nats });
        }
        saveCheckpoint();
        ev("done");
      }
    } finally {
      await parallel?.close();
    }
    disposeTrainer(trainer);
    return { iterations: progress.iteration, bestValidNats: progress.bestValidNats, stopped };
  })();

  return { options, dir, checkpointFile, stop: () => (stopRequested = true), done };
}
