/**
 * First-run set-up (what `npm start` and `cellscope setup` do before serving):
 * migrate the store, then for every model under models/ (or
 * $CELLSCOPE_MODELS): register it, record its test split unless a complete
 * recording exists (finishing an interrupted one), and score every unit
 * against the built-in signals (the cell page's table; each signal's best
 * unit is a detector, for the home page's gallery), then seed the collection
 * "the famous five" from those detectors when the store has none.
 * A second run finds everything done and returns at once.
 */
import { fork } from "node:child_process";
import { availableParallelism } from "node:os";
import path from "node:path";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { listModelDirs, modelsDir, readModelJson } from "../model/model-file.ts";
import { MAX_WORKERS } from "../model/workers.ts";
import { findRecording } from "../store/recordings.ts";
import { needsScoring, scoreRecording } from "./score-recording.ts";
import { FAMOUS_FIVE, seedFamousFive } from "./seed-famous-five.ts";
import { PROJECT_ROOT } from "../project-root.ts";
import { listCaptionerDirs, readCaptionerJson } from "../captioning/captioner-file.ts";

export { listModelDirs };

export interface SetupEvents {
  onStep?: (message: string) => void;
  onProgress?: (model: string, done: number, total: number, phase: "record" | "stats") => void;
}

/** Runs `cellscope record` on a model in a child process; resolves with what it printed. */
function recordInChild(dir: string, force: boolean, workers: number, onProgress: (done: number, total: number, phase: "record" | "stats") => void): Promise<string> {
  const bin = path.join(PROJECT_ROOT, "bin", "cellscope.js");
  return new Promise((resolve, reject) => {
    // The parent has migrated the store already (and may be holding it open).
    const env = { ...process.env, CELLSCOPE_STORE_READY: "1" };
    const child = fork(bin, ["record", "--model", dir, "--workers", String(workers), ...(force ? ["--force"] : [])], { stdio: ["ignore", "ignore", "pipe", "ipc"], env });
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    child.on("message", (m: { done: number; total: number; phase: "record" | "stats" }) => onProgress(m.done, m.total, m.phase));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(err) : reject(new Error(err.trim().split("\n").pop() || `recording ${dir} failed (exit ${code})`))));
  });
}

/**
 * Brings every model up to date: models that need recording are recorded in
 * child processes, as many at once as there are cores (each TensorFlow.js wasm
 * backend uses one), then every model whose units lack signal scores is scored.
 */
export async function setupModels(prisma: PrismaClient, ev: SetupEvents & { parallel?: number } = {}): Promise<{ models: string[] }> {
  const dirs = listModelDirs();
  if (!dirs.length) ev.onStep?.(`no models in ${modelsDir()}: train one with cellscope train`);
  const ids: string[] = [];
  const toRecord: { dir: string; id: string; force: boolean; captioner: boolean }[] = [];
  const needScores: string[] = [];
  // Char models, then captioners, whose decoders are recorded over test captions (lib/record/record-captions.ts).
  const found = [
    ...dirs.map((dir) => ({ dir, meta: readModelJson(dir).meta, captioner: false })),
    ...listCaptionerDirs(modelsDir()).map((dir) => ({ dir, meta: readCaptionerJson(dir), captioner: true })),
  ];
  for (const { dir, meta, captioner } of found) {
    ids.push(meta.id);
    const complete = await prisma.recording.findFirst({ where: { modelId: meta.id, status: "complete", split: "test" } });
    // A model retrained since it was recorded (its training record changed) is recorded again.
    const stored = await prisma.model.findUnique({ where: { id: meta.id }, select: { training: true } });
    const retrained = Boolean(complete && stored && stored.training !== JSON.stringify(meta.training));
    if (complete && !retrained) {
      if (await needsScoring(prisma, complete.id)) needScores.push(meta.id);
      continue;
    }
    if (retrained) ev.onStep?.(`${meta.id}: the ${captioner ? "captioner" : "model"} changed since it was recorded`);
    toRecord.push({ dir, id: meta.id, force: retrained, captioner });
    needScores.push(meta.id);
  }
  const cores = Math.min(MAX_WORKERS, availableParallelism());
  const parallel = Math.max(1, Math.min(ev.parallel ?? cores, toRecord.length));
  // The cores left over when there are fewer models than cores go to each recording's own workers.
  const workersEach = Math.max(1, Math.floor(cores / parallel));
  const queue = [...toRecord];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const t0 = performance.now();
      ev.onStep?.(`${job.id}: recording its test split`);
      const said = await recordInChild(job.dir, job.force, workersEach, (d, t, p) => ev.onProgress?.(job.id, d, t, p));
      for (const line of said.split("\n")) if (line.includes("stuck stream")) ev.onStep?.(line.slice(line.indexOf("stuck stream")));
      const rec = await findRecording(job.id);
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      if (job.captioner) {
        ev.onStep?.(`${job.id}: recorded its decoder over ${rec.text.split("\n").length - 1} test captions in ${seconds} s, ${rec.nats?.toFixed(3)} nats/word`);
        continue;
      }
      await prisma.model.update({ where: { id: job.id }, data: { testNats: rec.nats } });
      ev.onStep?.(`${job.id}: recorded ${rec.chars.toLocaleString("en")} characters in ${seconds} s, ${rec.nats?.toFixed(3)} nats/char`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  for (const id of needScores) {
    const t0 = performance.now();
    const n = await scoreRecording(prisma, id);
    ev.onStep?.(`${id}: every unit scored against the built-in signals in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${n.detectors} detectors found`);
  }
  const seeded = await seedFamousFive(prisma);
  if (seeded) ev.onStep?.(`the collection /collections/${FAMOUS_FIVE.slug}: ${seeded} famous detectors`);
  return { models: ids };
}
