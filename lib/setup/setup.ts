/**
 * First-run set-up (what `npm start` and `cellscope setup` do before serving):
 * migrate the store, then for every model under models/ (or
 * $CELLSCOPE_MODELS): register it, record its test split unless a complete
 * recording exists (finishing an interrupted one), and find its detectors,
 * the best unit for each built-in signal, for the home page's gallery.
 * A second run finds everything done and returns at once.
 */
import { fork } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { modelsDir, readModelJson } from "../model/model-file.ts";
import { findRecording } from "../store/recordings.ts";
import { searchRecording } from "../search/search.ts";
import { SIGNALS } from "../search/signals.ts";

/** Model folders (each with a model.json) under the models directory, sorted. */
export function listModelDirs(dir = modelsDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => existsSync(path.join(dir, d, "model.json")))
    .sort()
    .map((d) => path.join(dir, d));
}

export interface SetupEvents {
  onStep?: (message: string) => void;
  onProgress?: (model: string, done: number, total: number, phase: "record" | "stats") => void;
}

/** Finds and stores the best unit per built-in signal (skipping signals that never fire in this text). */
export async function findDetectors(prisma: PrismaClient, modelId: string): Promise<number> {
  const rec = await findRecording(prisma, modelId);
  const rows = [];
  for (const s of SIGNALS) {
    const r = await searchRecording(prisma, rec, { signal: s.name, limit: 1, sort: s.binary ? "auc" : "r" });
    const best = r.results[0];
    if (!best || r.problem) continue;
    rows.push({ modelId, signal: s.name, unit: best.unit, r: best.r, auc: best.auc ?? null, recordingId: rec.id });
  }
  await prisma.$transaction([prisma.detector.deleteMany({ where: { modelId } }), prisma.detector.createMany({ data: rows })]);
  return rows.length;
}

/** Records one model in a child process (`cellscope record`), relaying its progress. */
function recordInChild(dir: string, force: boolean, onProgress: (done: number, total: number, phase: "record" | "stats") => void): Promise<void> {
  const bin = path.resolve(import.meta.dirname, "../../bin/cellscope.js");
  return new Promise((resolve, reject) => {
    // The parent has migrated the store already (and may be holding it open).
    const env = { ...process.env, CELLSCOPE_STORE_READY: "1" };
    const child = fork(bin, ["record", "--model", dir, ...(force ? ["--force"] : [])], { stdio: ["ignore", "ignore", "pipe", "ipc"], env });
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    child.on("message", (m: { done: number; total: number; phase: "record" | "stats" }) => onProgress(m.done, m.total, m.phase));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(err.trim().split("\n").pop() || `recording ${dir} failed (exit ${code})`))));
  });
}

/**
 * Brings every model up to date: models that need recording are recorded in
 * child processes, as many at once as there are cores (each TensorFlow.js wasm
 * backend uses one), then detectors are found for every model that lacks them.
 */
export async function setupModels(prisma: PrismaClient, ev: SetupEvents & { parallel?: number } = {}): Promise<{ models: string[] }> {
  const dirs = listModelDirs();
  if (!dirs.length) ev.onStep?.(`no models in ${modelsDir()}: train one with cellscope train`);
  const ids: string[] = [];
  const toRecord: { dir: string; id: string; force: boolean }[] = [];
  const needDetectors: string[] = [];
  for (const dir of dirs) {
    const { meta } = readModelJson(dir);
    ids.push(meta.id);
    const complete = await prisma.recording.findFirst({ where: { modelId: meta.id, status: "complete", split: "test" } });
    // A model retrained since it was recorded (its training record changed) is recorded again.
    const stored = await prisma.model.findUnique({ where: { id: meta.id }, select: { training: true } });
    const retrained = Boolean(complete && stored && stored.training !== JSON.stringify(meta.training));
    if (complete && !retrained) {
      const detectors = await prisma.detector.count({ where: { modelId: meta.id, recordingId: complete.id } });
      if (detectors === 0) needDetectors.push(meta.id);
      continue;
    }
    if (retrained) ev.onStep?.(`${meta.id}: the model changed since it was recorded`);
    toRecord.push({ dir, id: meta.id, force: retrained });
    needDetectors.push(meta.id);
  }
  const parallel = Math.max(1, Math.min(ev.parallel ?? availableParallelism(), toRecord.length));
  const queue = [...toRecord];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const t0 = performance.now();
      ev.onStep?.(`${job.id}: recording its test split`);
      await recordInChild(job.dir, job.force, (d, t, p) => ev.onProgress?.(job.id, d, t, p));
      const rec = await findRecording(prisma, job.id);
      await prisma.model.update({ where: { id: job.id }, data: { testNats: rec.nats } });
      ev.onStep?.(`${job.id}: recorded ${rec.chars.toLocaleString("en")} characters in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${rec.nats?.toFixed(3)} nats/char`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  for (const id of needDetectors) {
    const n = await findDetectors(prisma, id);
    ev.onStep?.(`${id}: ${n} detectors found`);
  }
  return { models: ids };
}
