/**
 * `cellscope record`: run a model over a slice of its corpus and keep what
 * every unit did at every character, plus the model's loss and top-5 guesses,
 * in the store; then compute each unit's statistics.
 *
 * Crash safety: the Recording row is created with status "recording"; each
 * window of chunks is written in one transaction that also advances
 * `charsDone`; then statistics ("finalizing"); only then "complete". Readers
 * only ever list complete recordings, and rerunning the command continues an
 * interrupted one from `charsDone`. A second run of the same model on the
 * same store while one is going is refused (./record-lock.ts).
 */
import type { PrismaClient } from "../generated/prisma/client.ts";
import { loadCorpusFor, splitRange, type Split, type Corpus } from "../corpus/corpus.ts";
import { cellByName } from "../model/cells.ts";
import { isGateKind } from "../model/unit-kinds.ts";
import { countParams } from "../model/config.ts";
import { loadModel, type LoadedModel } from "../model/model-file.ts";
import { runStreams, streamLayout, type RunChunk } from "../model/run-streams.ts";
import { openBulk, writeChunk, writeUnitRows, deleteBulk, TOP_N, readChars } from "../store/activations.ts";
import { formatUnitId, type UnitKind } from "../store/quantize.ts";
import { allocWindow, keepPiece, windowViews, type WindowShape } from "./record-window.ts";
import { RecordWorkers } from "./record-workers.ts";
import { badWorkers } from "../model/workers.ts";
import { storedUnitRow, type StoredUnitRow } from "./unit-stats.ts";
import { findStuckStreams, meanNats } from "./stuck-streams.ts";
import { lockRecording } from "./record-lock.ts";
import { dbPath } from "../db-file.ts";
import path from "node:path";

export const CHUNK_CHARS = 32768;
/** Text kept before a recording's start, for signals that need to know their state there. */
export const CONTEXT_CHARS = 4000;
/** Chunks run together (one batch of streams, one transaction). */
const CHUNKS_PER_WINDOW = 8;
/** Streams run side by side (./run-streams.ts), unless told. */
const DEFAULT_STREAMS = 50;
/** Warm-ups (characters) a stuck stream is run again with (./stuck-streams.ts). */
const REPAIR_WARMUPS = [2000, 0];

export interface RecordOptions {
  model: string;
  split?: Split;
  /** Offset inside the split. */
  start?: number;
  chars?: number;
  gates?: boolean;
  /** Redo a complete recording. */
  force?: boolean;
  streams?: number;
  warmup?: number;
  /** Characters per stored chunk (tests use small ones). */
  chunkChars?: number;
  /** Cores to record on (./record-workers.ts); default 1. */
  workers?: number;
  onProgress?: (done: number, total: number, phase: "record" | "stats") => void;
}

export interface RecordResult {
  recordingId: number;
  outcome: "recorded" | "resumed" | "exists";
  chars: number;
  start: number;
  seconds: number;
  nats: number | null;
  /** Streams found stuck after their cold start and run again (offsets in the recording; the best run is kept). */
  rerun: { start: number; chars: number; natsBefore: number; natsAfter: number; warmup: number; medianNats: number }[];
}

/** Registers (or updates) a model and its corpus in the store. */
export async function registerModel(prisma: PrismaClient, model: LoadedModel, corpus: Corpus, testNats?: number): Promise<void> {
  const m = model.meta;
  await prisma.corpus.upsert({
    where: { id: corpus.name },
    create: { id: corpus.name, sha256: corpus.sha256, chars: corpus.ids.length },
    update: { sha256: corpus.sha256, chars: corpus.ids.length },
  });
  const data = {
    corpusId: corpus.name,
    layers: m.config.layers,
    hidden: m.config.hidden,
    vocabSize: m.config.vocabSize,
    params: countParams(m.config),
    cell: m.config.cell,
    path: path.relative(process.cwd(), model.dir) || ".",
    training: JSON.stringify(m.training),
    ...(testNats !== undefined ? { testNats } : {}),
  };
  await prisma.model.upsert({ where: { id: m.id }, create: { id: m.id, ...data }, update: data });
}

/**
 * Records a model (see the top of this file). Only one run per model and
 * store at a time: a second is refused with RecordingLockedError (./record-lock.ts).
 */
export async function recordModel(prisma: PrismaClient, o: RecordOptions): Promise<RecordResult> {
  const t0 = performance.now();
  const model = loadModel(o.model);
  const unlock = lockRecording(dbPath(), model.meta.id);
  try {
    return await recordLocked(prisma, model, o, t0);
  } finally {
    unlock();
  }
}

async function recordLocked(prisma: PrismaClient, model: LoadedModel, o: RecordOptions, t0: number): Promise<RecordResult> {
  const workersWrong = o.workers === undefined ? null : badWorkers(o.workers);
  if (workersWrong) throw new Error(`--workers ${workersWrong}, got ${o.workers}`);
  // The worker threads load their backend and the model while this one loads the corpus and the store's rows.
  const workers = RecordWorkers.start(model.dir, Math.min(o.workers ?? 1, o.streams ?? DEFAULT_STREAMS));
  try {
    return await recordOn(prisma, model, o, t0, workers);
  } finally {
    await workers.close();
  }
}

async function recordOn(prisma: PrismaClient, model: LoadedModel, o: RecordOptions, t0: number, workers: RecordWorkers): Promise<RecordResult> {
  const corpus = loadCorpusFor(model.meta);
  if (model.meta.vocab.length > 256) throw new Error(`model ${model.meta.id} has ${model.meta.vocab.length} characters; recording supports at most 256`);
  const split = o.split ?? "test";
  const range = splitRange(corpus.ids.length, split);
  const rel = o.start ?? 0;
  if (!Number.isInteger(rel) || rel < 0 || rel >= range.end - range.start) {
    throw new Error(`--start ${rel} is outside the ${split} split (0 to ${range.end - range.start - 1})`);
  }
  const start = range.start + rel;
  const chars = Math.min(o.chars ?? range.end - start, range.end - start);
  if (!Number.isInteger(chars) || chars < 1) throw new Error(`--chars must be a positive integer`);
  const CHUNK = o.chunkChars ?? CHUNK_CHARS;
  if (!Number.isInteger(CHUNK) || CHUNK < 1) throw new Error(`--chunk-chars must be a positive integer`);
  const cell = cellByName(model.meta.config.cell);
  // What the cell records, in its order (the recording's key: LSTM "c,h" or "c,h,i,f,o"); gates only when asked.
  const kinds: UnitKind[] = cell.records.filter((k) => o.gates || !isGateKind(k));
  const { layers, hidden: H } = model.meta.config;
  const V = model.meta.vocab.length;

  await registerModel(prisma, model, corpus);
  const key = { modelId: model.meta.id, split, start, chars, kinds: kinds.join(",") };
  let rec = await prisma.recording.findUnique({ where: { modelId_split_start_chars_kinds: key } });
  const db = openBulk();
  if (rec && rec.status === "complete" && !o.force) {
    return { recordingId: rec.id, outcome: "exists", chars, start, seconds: 0, nats: rec.nats, rerun: [] };
  }
  if (rec && (o.force || rec.chunkChars !== CHUNK)) {
    deleteBulk(db, rec.id);
    await prisma.recording.delete({ where: { id: rec.id } });
    rec = null;
  }
  const outcome = rec ? "resumed" : "recorded";
  if (!rec) {
    rec = await prisma.recording.create({
      data: { ...key, chunkChars: CHUNK, status: "recording", text: corpus.chars.slice(start, start + chars).join(""), context: corpus.chars.slice(Math.max(0, start - CONTEXT_CHARS), start).join("") },
    });
  }
  const id = rec.id;
  const series = kinds.filter((k) => k !== "h");
  const units = kinds.flatMap((kind) => Array.from({ length: layers }, (_, layer) => Array.from({ length: H }, (_, index) => formatUnitId({ kind, layer, index }))).flat());
  const setDone = db.prepare(`UPDATE "Recording" SET "charsDone" = ? WHERE "id" = ?`);

  let done = rec.charsDone - (rec.charsDone % (CHUNK * CHUNKS_PER_WINDOW));
  /** The units' statistics rows, when computed from the window as it is written (a one-window recording). */
  let rows: StoredUnitRow[] | undefined;
  const rerun: RecordResult["rerun"] = [];
  o.onProgress?.(done, chars, "record");
  const shape: WindowShape = { kinds, layers, hidden: H, vocab: V, stride: Math.min(chars, CHUNK * CHUNKS_PER_WINDOW) };
  const shared = allocWindow(shape);
  const buf = windowViews(shared);
  const run = { streams: o.streams ?? DEFAULT_STREAMS, warmup: o.warmup ?? 500 };
  await workers.setup(corpus.ids, shape, shared);
  while (done < chars) {
    const wStart = done;
    const wEnd = Math.min(chars, done + CHUNK * CHUNKS_PER_WINDOW);
    const len = wEnd - wStart;
    const layout = streamLayout(len, run);
    const partRun = { streamLen: layout.len, warmup: run.warmup, series };
    await workers.runWindow(cell, model.params, corpus.ids, start + wStart, start + wEnd, layout.streams, partRun, shape, buf, (n) =>
      o.onProgress?.(wStart + n, chars, "record"),
    );
    // A stream stuck after its cold start (./stuck-streams.ts) runs again with other warm-ups; the best run is kept.
    for (const stuck of findStuckStreams(buf.nll.subarray(0, len), layout.len)) {
      let best = { nats: stuck.nats, pieces: null as RunChunk[] | null, warmup: run.warmup };
      for (const warmup of REPAIR_WARMUPS.filter((w) => w !== run.warmup)) {
        const pieces: RunChunk[] = [];
        await runStreams(cell, model.params, corpus.ids, start + wStart + stuck.start, start + wStart + stuck.end, { series, streams: 1, warmup, wantLogp: true, wantLayers: true }, (p) => void pieces.push(p));
        const nats = meanNats(pieces.flatMap((p) => Array.from(p.nll)));
        if (nats < best.nats) best = { nats, pieces, warmup };
      }
      best.pieces?.forEach((p) => keepPiece(shape, buf, p, p.start - start - wStart));
      rerun.push({ start: wStart + stuck.start, chars: stuck.end - stuck.start, natsBefore: stuck.nats, natsAfter: best.nats, warmup: best.warmup, medianNats: stuck.median });
    }
    // One transaction per chunk; the window's last one also moves charsDone.
    const write = () => {
      for (let c = 0; c * CHUNK < len; c++) {
        const a = c * CHUNK, b = Math.min(len, a + CHUNK);
        const chunkUnits = new Map(units.map((u, k) => [u, buf.bytes.subarray(k * shape.stride + a, k * shape.stride + b)]));
        const last = b === len;
        writeChunk(db, id, (wStart + a) / CHUNK, chunkUnits, { nll: buf.nll.subarray(a, b), topIds: buf.topIds.subarray(a * TOP_N, b * TOP_N), topProbs: buf.topProbs.subarray(a * TOP_N, b * TOP_N) }, () => {
          if (last) setDone.run(wEnd, id);
        });
      }
    };
    // A recording that is this one window: its bytes are all here, so the other workers compute
    // the units' statistics from them while this thread writes, and it joins them after.
    if (wStart === 0 && wEnd === chars) rows = await workers.windowUnitRows(id, units, chars, shape, buf, write, (k) => o.onProgress?.(k, units.length, "stats"));
    else write();
    done = wEnd;
  }
  const nats = await finishRecording(prisma, db, id, units, chars, CHUNK, o.onProgress, workers, rows);
  return { recordingId: id, outcome, chars, start, seconds: (performance.now() - t0) / 1000, nats, rerun };
}

/**
 * A recording's last step, once every chunk is written: each unit's
 * statistics from what was stored (so a resumed run gets the same numbers)
 * and the mean loss, then status "complete" (the statistics on every worker,
 * when given; `given`, when already computed from the bytes as they were
 * written). Returns the mean loss per predicted position (nats), or null when
 * none was predicted.
 */
export async function finishRecording(
  prisma: PrismaClient,
  db: ReturnType<typeof openBulk>,
  id: number,
  units: readonly string[],
  chars: number,
  chunkChars: number,
  onProgress?: RecordOptions["onProgress"],
  workers?: RecordWorkers,
  given?: StoredUnitRow[],
): Promise<number | null> {
  db.prepare(`UPDATE "Recording" SET "status" = 'finalizing' WHERE "id" = ?`).run(id);
  const report = (k: number) => onProgress?.(k, units.length, "stats");
  let rows: StoredUnitRow[];
  if (given) rows = given;
  else if (workers) rows = await workers.unitRows(db, id, units, chars, report);
  else {
    rows = [];
    for (let k = 0; k < units.length; k++) {
      rows.push(storedUnitRow(db, id, units[k], chars));
      if (k % 64 === 63) report(k + 1);
    }
  }
  const charData = readChars(db, id, chunkChars, 0, chars);
  let sum = 0, n = 0;
  for (const v of charData.nll) if (Number.isFinite(v)) (sum += v), n++;
  const nats = n ? sum / n : null;
  // Two transactions: a crash between them leaves the recording "finalizing", and rerunning redoes this step.
  writeUnitRows(db, id, rows);
  await prisma.recording.update({ where: { id }, data: { status: "complete", completedAt: new Date(), nats, charsDone: chars } });
  return nats;
}
