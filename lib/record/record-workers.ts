/**
 * Recording on every core. A window's S streams (run-streams.ts) are split
 * among W workers: this thread is worker 0, the others are worker threads
 * (./record-worker.ts), each with its own tfjs wasm backend and its own copy
 * of the weights. Worker k runs streams [a_k, b_k), that is positions
 *
 *   [w + a_k·L, min(w + b_k·L, w_end))      (L: positions per stream)
 *
 * of the window starting at w, with the same stream boundaries and warm-ups
 * as one worker running all S, and quantizes what it sees straight into the
 * window's shared buffers (./record-window.ts). So the bytes do not depend on
 * W beyond float rounding, and the model, the quantization and the top-5 all
 * run on every core; this thread alone writes SQLite. Once every window is
 * stored, the units' statistics are shared among the workers the same way.
 */
import { Worker } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import type { RecurrentCell } from "../model/cell.ts";
import type { Params } from "../model/params.ts";
import { runStreams } from "../model/run-streams.ts";
import { splitStreams } from "../model/workers.ts";
import type Database from "better-sqlite3";
import { storedUnitRow, unitRow, type StoredUnitRow } from "./unit-stats.ts";
import { keepPiece, type SharedWindow, type WindowBuffers, type WindowShape } from "./record-window.ts";

/** How a part is run: positions per stream, warm-up, the series besides h. */
export interface PartRun {
  streamLen: number;
  warmup: number;
  series: string[];
}

/** Runs positions [from, to) of `ids` and quantizes them into the window that starts at `windowStart`. */
export async function runPart(
  cell: RecurrentCell<unknown>,
  params: Params,
  ids: Int32Array,
  from: number,
  to: number,
  windowStart: number,
  run: PartRun,
  shape: WindowShape,
  buf: WindowBuffers,
  onPiece?: (chars: number) => void,
): Promise<void> {
  await runStreams(cell, params, ids, from, to, { ...run, wantLogp: true, wantLayers: true }, (piece) => {
    keepPiece(shape, buf, piece, piece.start - windowStart);
    onPiece?.(piece.length);
  });
}

/** What a record worker thread is told once. */
export interface RecordWorkerInit {
  modelDir: string;
  backend: string;
  /** Int32 per worker: characters done in the current window, for progress. */
  progress: SharedArrayBuffer;
  slot: number;
}

/** What a worker thread is told once it is up, before any part: the text and the window it fills. */
export interface RecordWorkerSetup {
  ids: Int32Array;
  shape: WindowShape;
  window: SharedWindow;
}

/** The set-up, one part of a window for a worker thread, or its share of the units' statistics. */
export type RecordJob =
  | { setup: RecordWorkerSetup }
  | { part: { from: number; to: number; windowStart: number; run: PartRun } }
  | { stats: { file: string; recordingId: number; units: string[]; chars: number } }
  | { windowStats: WindowStatsJob };

/** Statistics from the window's bytes: units are claimed one at a time through `counter` (an Int32 shared by every worker). */
export interface WindowStatsJob {
  recordingId: number;
  units: string[];
  chars: number;
  counter: SharedArrayBuffer;
}

export interface RecordReply {
  error?: string;
  /** A stats job's rows, in its units' order. */
  rows?: StoredUnitRow[];
  /** A window stats job's rows: the index in `units` of each. */
  claimed?: number[];
}

/** Claims units from the job's counter until none is left and computes each one's row from the window's bytes. */
export function claimWindowStats(job: WindowStatsJob, shape: WindowShape, buf: WindowBuffers, onUnit: () => void): { rows: StoredUnitRow[]; claimed: number[] } {
  const counter = new Int32Array(job.counter);
  const rows: StoredUnitRow[] = [], claimed: number[] = [];
  for (let k = Atomics.add(counter, 0, 1); k < job.units.length; k = Atomics.add(counter, 0, 1)) {
    rows.push(unitRow(job.recordingId, job.units[k], buf.bytes.subarray(k * shape.stride, k * shape.stride + job.chars)));
    claimed.push(k);
    onUnit();
  }
  return { rows, claimed };
}

/** The worker's file: the compiled CLI ships record-worker.mjs beside this chunk; from source, the .ts through tsx's loader. */
function workerFile(): URL {
  return new URL(import.meta.url.endsWith(".ts") ? "./record-worker-source.mjs" : "./record-worker.mjs", import.meta.url);
}

interface Helper {
  worker: Worker;
  pending?: { resolve: (r: RecordReply) => void; reject: (e: Error) => void };
  failed?: Error;
}

export class RecordWorkers {
  private constructor(
    private readonly helpers: Helper[],
    private readonly progress: Int32Array,
  ) {}

  /**
   * Starts `workers − 1` worker threads (this thread is the first worker). They
   * load the backend and the model while this thread goes on; `setup` waits for them.
   */
  static start(modelDir: string, workers: number): RecordWorkers {
    const progressBuf = new SharedArrayBuffer(4 * Math.max(1, workers));
    const helpers: Helper[] = [];
    const file = workerFile();
    for (let k = 1; k < workers; k++) {
      const init: RecordWorkerInit = { modelDir, backend: tf.getBackend(), progress: progressBuf, slot: k };
      const h: Helper = { worker: new Worker(file, { workerData: init }) };
      const fail = (e: Error) => {
        h.failed = e;
        const p = h.pending;
        h.pending = undefined;
        p?.reject(e);
      };
      h.worker.on("message", (r: RecordReply) => {
        if (r.error) return fail(new Error(`recording worker ${k}: ${r.error}`));
        const p = h.pending;
        h.pending = undefined;
        p?.resolve(r);
      });
      h.worker.on("error", (e) => fail(new Error(`recording worker ${k}: ${e.message}`)));
      h.worker.on("exit", (code) => fail(new Error(`recording worker ${k} stopped (exit ${code})`)));
      helpers.push(h);
    }
    return new RecordWorkers(helpers, new Int32Array(progressBuf));
  }

  /** Tells every worker the text and the window; each answers once its backend is up and its weights loaded. */
  async setup(ids: Int32Array, shape: WindowShape, window: SharedWindow): Promise<void> {
    await Promise.all(this.helpers.map((h) => this.ask(h, { setup: { ids, shape, window } })));
  }

  get count(): number {
    return this.helpers.length + 1;
  }

  private ask(h: Helper, job: RecordJob): Promise<RecordReply> {
    if (h.failed) return Promise.reject(h.failed);
    return new Promise((resolve, reject) => {
      h.pending = { resolve, reject };
      h.worker.postMessage(job);
    });
  }

  /**
   * Runs window positions [windowStart, windowEnd) of `ids`, laid out as
   * `streams` streams of `run.streamLen` positions, on every worker, into the
   * shared window. `onProgress` hears the characters done so far.
   */
  async runWindow(
    cell: RecurrentCell<unknown>,
    params: Params,
    ids: Int32Array,
    windowStart: number,
    windowEnd: number,
    streams: number,
    run: PartRun,
    shape: WindowShape,
    buf: WindowBuffers,
    onProgress?: (chars: number) => void,
  ): Promise<void> {
    const L = run.streamLen;
    const parts = splitStreams(streams, this.count)
      .map(([a, b]) => [windowStart + a * L, Math.min(windowStart + b * L, windowEnd)] as const)
      .filter(([from, to]) => to > from);
    const jobs = parts.slice(1).map(([from, to]): RecordJob => ({ part: { from, to, windowStart, run } }));
    await this.share(jobs, (tick) => runPart(cell, params, ids, parts[0][0], parts[0][1], windowStart, run, shape, buf, tick), onProgress);
  }

  /**
   * Each unit's statistics row from what the store holds for the recording,
   * the units shared among the workers (each reads through its own connection
   * to the store). `onProgress` hears the units done so far.
   */
  async unitRows(db: Database.Database, recordingId: number, units: readonly string[], chars: number, onProgress?: (units: number) => void): Promise<StoredUnitRow[]> {
    const shares = splitStreams(units.length, this.count);
    const jobs = shares.slice(1).map(([a, b]): RecordJob => ({ stats: { file: db.name, recordingId, units: units.slice(a, b), chars } }));
    const { own, replies } = await this.share(
      jobs,
      async (tick) => {
        const rows: StoredUnitRow[] = [];
        for (let k = shares[0][0]; k < shares[0][1]; k++) {
          rows.push(storedUnitRow(db, recordingId, units[k], chars));
          if (rows.length % 64 === 0) tick(64);
        }
        tick(rows.length % 64);
        return rows;
      },
      onProgress,
    );
    return [...own, ...replies.flatMap((r) => r.rows!)];
  }

  /**
   * Each unit's statistics row from the window's own bytes, for a recording
   * that is this one window (recorded in full by this run, so the bytes are
   * what the store gets): the helpers start at once, this thread joins once
   * `first` (its SQLite writes) is done, and units are claimed one at a time,
   * so the work balances whatever `first` costs.
   */
  async windowUnitRows(recordingId: number, units: string[], chars: number, shape: WindowShape, buf: WindowBuffers, first: () => void, onProgress?: (units: number) => void): Promise<StoredUnitRow[]> {
    const job: WindowStatsJob = { recordingId, units, chars, counter: new SharedArrayBuffer(4) };
    const { own, replies } = await this.share(
      this.helpers.map((): RecordJob => ({ windowStats: job })),
      async (tick) => {
        first();
        return claimWindowStats(job, shape, buf, () => tick(1));
      },
      onProgress,
    );
    const rows: StoredUnitRow[] = new Array(units.length);
    for (const part of [own, ...replies.map((r) => ({ rows: r.rows!, claimed: r.claimed! }))]) part.claimed.forEach((k, i) => (rows[k] = part.rows[i]));
    return rows;
  }

  /**
   * Sends helper j the job jobs[j] (so they work while this thread does its
   * own share), runs `own`, then waits for every helper. `onProgress` hears the
   * count done so far on every worker: `own` counts through `tick`, helpers in
   * their shared progress slots (read every 250 ms while this thread waits).
   */
  private async share<R>(jobs: RecordJob[], own: (tick: (n: number) => void) => Promise<R>, onProgress?: (done: number) => void): Promise<{ own: R; replies: RecordReply[] }> {
    this.progress.fill(0);
    let mine = 0;
    const report = () => onProgress?.(mine + this.progress.reduce((s, x) => s + x, 0));
    const helping = jobs.map((job, j) => this.ask(this.helpers[j], job));
    // A helper's failure is seen when they are awaited below, not as an unhandled rejection meanwhile.
    helping.forEach((p) => p.catch(() => {}));
    const timer = setInterval(report, 250);
    try {
      const result = await own((n) => {
        mine += n;
        report();
      });
      const replies = await Promise.all(helping);
      report();
      return { own: result, replies };
    } finally {
      clearInterval(timer);
    }
  }

  async close(): Promise<void> {
    for (const h of this.helpers) h.worker.removeAllListeners("exit");
    await Promise.all(this.helpers.map((h) => h.worker.terminate()));
  }
}
