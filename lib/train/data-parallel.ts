/**
 * Training on every core: data parallelism inside one `cellscope train`.
 *
 * The batch's B streams are split among W workers: this thread is worker 0,
 * the others are worker threads (./grad-worker.ts), each with its own tfjs
 * wasm backend. Worker k runs forward and backward over its B_k streams (the
 * T·B_k = N_k characters of its slice of the chunk) and returns the mean loss
 * L_k and gradient ∇L_k of its characters. This thread then forms the
 * gradient of the whole batch and makes the one update, exactly as
 * trainStep (./step.ts) does:
 *
 *   L  = (1/N) Σ_r ℓ_r = Σ_k (N_k / N) · L_k
 *   ∇L = Σ_k (N_k / N) · ∇L_k            (loss "sum": ∇L = Σ_k ∇L_k)
 *
 * so the result does not depend on W beyond float rounding. The weights go
 * out and the gradients come back through shared memory (a SharedArrayBuffer
 * per direction and worker, laid out in `paramNames` order); each stream's
 * carried state travels with its slice of the chunk and comes back with it,
 * so checkpoints, state resets and --resume see the whole [B, H] state,
 * whatever W. Dropout masks are drawn here for the whole batch, as W = 1
 * draws them, and each worker gets its rows.
 */
import { Worker } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import type { Tensor, Tensor2D } from "@tensorflow/tfjs";
import type { CellState, RecurrentCell } from "../model/cell.ts";
import type { ModelConfig } from "../model/config.ts";
import { lossAndGrads, maskRows, type Chunk, type LossReduction, type MaskDraw } from "../model/network.ts";
import type { OptimizerConfig, WeightCopies } from "../model/optimizer.ts";
import { paramNames, paramShapes, toNamed, type Params } from "../model/params.ts";
import type { Random } from "../model/random.ts";
import { splitStreams } from "../model/workers.ts";
import { adoptStep, updateWeights, type TrainerState } from "./step.ts";

/** Streams [from, to) of a time-major chunk: row t·B + s becomes row t·b + (s − from). */
export function sliceChunk(chunk: Chunk, from: number, to: number): Chunk {
  const { steps, batch } = chunk;
  const b = to - from;
  const inputs = new Int32Array(steps * b);
  const targets = new Int32Array(steps * b);
  for (let t = 0; t < steps; t++) {
    inputs.set(chunk.inputs.subarray(t * batch + from, t * batch + to), t * b);
    targets.set(chunk.targets.subarray(t * batch + from, t * batch + to), t * b);
  }
  return { inputs, targets, steps, batch: b };
}

/** Where each weight sits in the shared buffers (paramNames order, floats): the one layout both sides read. */
export function sharedLayout(config: ModelConfig) {
  const names = paramNames(config);
  const shapes = paramShapes(config);
  const offsets: Record<string, number> = {};
  let total = 0;
  for (const n of names) {
    offsets[n] = total;
    total += shapes[n].reduce((a, b) => a * b, 1);
  }
  return { names, shapes, offsets, total };
}

/** What a worker thread is told once: see grad-worker.ts. */
export interface WorkerInit {
  config: ModelConfig;
  backend: string;
  /** The weights, written here after every update; read by every worker. */
  weights: SharedArrayBuffer;
  /** This worker's gradients, written by it each step. */
  grads: SharedArrayBuffer;
}

/** One step's work for a worker thread. */
export interface WorkerStep {
  chunk: Chunk;
  /** Per layer, per state part: this worker's rows [B_k, H] of the carried state. */
  state: Record<string, Float32Array>[];
  /** Where this worker draws its rows of the dropout masks (network.ts, maskRows), and the dropout; none without dropout. */
  masks?: { draw: MaskDraw; p: number };
  reduction: LossReduction;
  /** Bumped by every update: the worker rereads the weights when it changes. */
  version: number;
}

export interface WorkerReply {
  loss: number;
  state: Record<string, Float32Array>[];
  error?: string;
}

/** The worker's file: the compiled CLI ships grad-worker.mjs beside this chunk; from source, the .ts through tsx's loader. */
function workerFile(): URL {
  return new URL(import.meta.url.endsWith(".ts") ? "./grad-worker-source.mjs" : "./grad-worker.mjs", import.meta.url);
}

interface Helper {
  worker: Worker;
  grads: Float32Array;
  pending?: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void };
}

export class DataParallel {
  private version = 0;
  private written = -1;

  private constructor(
    private readonly config: ModelConfig,
    private readonly names: string[],
    private readonly shapes: Record<string, number[]>,
    private readonly offsets: Record<string, number>,
    private readonly weights: Float32Array,
    private readonly helpers: Helper[],
  ) {}

  /** Starts `workers − 1` worker threads (this thread is the first worker). */
  static async start(config: ModelConfig, workers: number): Promise<DataParallel> {
    const { names, shapes, offsets, total } = sharedLayout(config);
    const weightsBuf = new SharedArrayBuffer(total * 4);
    const file = workerFile();
    const helpers: Helper[] = [];
    for (let k = 1; k < workers; k++) {
      const gradsBuf = new SharedArrayBuffer(total * 4);
      const init: WorkerInit = { config, backend: tf.getBackend(), weights: weightsBuf, grads: gradsBuf };
      const worker = new Worker(file, { workerData: init });
      const h: Helper = { worker, grads: new Float32Array(gradsBuf) };
      worker.on("message", (r: WorkerReply) => {
        const p = h.pending;
        h.pending = undefined;
        if (r.error) p?.reject(new Error(`training worker ${k}: ${r.error}`));
        else p?.resolve(r);
      });
      worker.on("error", (e) => {
        const p = h.pending;
        h.pending = undefined;
        p?.reject(new Error(`training worker ${k}: ${e.message}`));
      });
      helpers.push(h);
    }
    const dp = new DataParallel(config, names, shapes, offsets, new Float32Array(weightsBuf), helpers);
    // Each worker answers its first message once its backend is up.
    await Promise.all(helpers.map((h) => dp.ask(h, null)));
    return dp;
  }

  get workers(): number {
    return this.helpers.length + 1;
  }

  private ask(h: Helper, msg: WorkerStep | null): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      h.pending = { resolve, reject };
      h.worker.postMessage(msg);
    });
  }

  /** Copies the weights into shared memory, once per update. */
  private publish(params: Params): void {
    if (this.written === this.version) return;
    const named = toNamed(params as Params<Tensor, Tensor>);
    for (const n of this.names) this.weights.set(named[n].dataSync() as Float32Array, this.offsets[n]);
    this.written = this.version;
  }

  /**
   * One training step over `chunk` on every worker: the same contract as
   * trainStep (returns the chunk's mean loss; replaces the tensors in `s`).
   */
  async step(
    cell: RecurrentCell<unknown>,
    optCfg: OptimizerConfig,
    lr: number,
    s: TrainerState,
    chunk: Chunk,
    rng: Random,
    reduction: LossReduction = "mean",
    copies: WeightCopies = {},
  ): Promise<number> {
    const { steps, batch } = chunk;
    const ranges = splitStreams(batch, this.workers);
    this.publish(s.params);
    // Each worker draws its own rows of the masks (in parallel, the values one worker would draw); rng moves past them all.
    const { layers, hidden, dropout } = this.config;
    const maskStart = rng.state;
    if (dropout > 0) rng.skip(layers * steps * batch * hidden);
    const draw = (from: number, to: number) => (dropout > 0 ? { draw: { start: maskStart, steps, batch, from, to }, p: dropout } : undefined);
    // The helpers' slices go out first, so they work while this thread does its own.
    const replies = ranges.slice(1).map(([from, to], j) => {
      const msg: WorkerStep = {
        chunk: sliceChunk(chunk, from, to),
        state: s.state.map((st) => Object.fromEntries(Object.entries(st).map(([k, x]) => [k, tf.tidy(() => tf.slice(x, [from, 0], [to - from, -1])).dataSync() as Float32Array]))),
        masks: draw(from, to),
        reduction,
        version: this.version,
      };
      return this.ask(this.helpers[j], msg);
    });
    const [from0, to0] = ranges[0];
    const own = tf.tidy(() => {
      const ownState = s.state.map((st) => Object.fromEntries(Object.entries(st).map(([k, x]) => [k, tf.slice(x, [from0, 0], [to0 - from0, -1])])) as CellState);
      const d = draw(from0, to0);
      const ownMasks = d && maskRows(d.draw, layers, hidden, d.p);
      const r = lossAndGrads(cell, s.params, sliceChunk(chunk, from0, to0), ownState, ownMasks, reduction);
      return { loss: r.loss, grads: toNamed(r.grads as Params<Tensor, Tensor>), state: r.state as unknown as Record<string, Tensor>[] };
    });
    let others: WorkerReply[];
    try {
      others = await Promise.all(replies);
    } catch (e) {
      tf.dispose([own.loss, ...Object.values(own.grads), ...own.state.flatMap((x) => Object.values(x))]);
      throw e;
    }
    const N = steps * batch;
    const share = ranges.map(([a, b]) => (reduction === "sum" ? 1 : ((b - a) * steps) / N));
    const lossShare = ranges.map(([a, b]) => ((b - a) * steps) / N);
    const ownLoss = own.loss.dataSync()[0];
    const loss = lossShare[0] * ownLoss + others.reduce((acc, r, j) => acc + lossShare[j + 1] * r.loss, 0);

    const out = tf.tidy(() => {
      const grads: Record<string, Tensor> = {};
      for (const n of this.names) {
        let g = share[0] === 1 ? own.grads[n] : tf.mul(own.grads[n], share[0]);
        this.helpers.forEach((h, j) => {
          const view = h.grads.subarray(this.offsets[n], this.offsets[n] + own.grads[n].size);
          g = tf.add(g, tf.mul(tf.tensor(view, this.shapes[n]), share[j + 1]));
        });
        grads[n] = g;
      }
      // The carried state: every worker's rows, back in stream order.
      const state = own.state.map((st, l) =>
        Object.fromEntries(
          Object.keys(st).map((k) => [k, tf.concat([st[k], ...others.map((r, j) => tf.tensor2d(r.state[l][k], [ranges[j + 1][1] - ranges[j + 1][0], this.config.hidden]))], 0)]),
        ),
      );
      return { ...updateWeights(optCfg, lr, s, grads, copies), state };
    });
    tf.dispose([own.loss, ...Object.values(own.grads), ...own.state.flatMap((x) => Object.values(x))]);
    adoptStep(s, this.config, out);
    this.version++;
    return loss;
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    await Promise.all(this.helpers.map((h) => h.worker.terminate()));
  }
}
