/**
 * First-run set-up (what `npm start` and `cellscope setup` do before serving):
 * migrate the store, then for every model under models/ (or
 * $CELLSCOPE_MODELS): register it, record its test split unless a complete
 * recording exists (finishing an interrupted one), and find its detectors,
 * the best unit for each built-in signal, for the home page's gallery.
 * A second run finds everything done and returns at once.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { loadCorpusFor } from "../corpus/corpus.ts";
import { loadModel, modelsDir, readModelJson } from "../model/model-file.ts";
import { recordModel, registerModel } from "../record/record.ts";
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

export async function setupModels(prisma: PrismaClient, ev: SetupEvents = {}): Promise<{ models: string[] }> {
  const dirs = listModelDirs();
  if (!dirs.length) ev.onStep?.(`no models in ${modelsDir()}: train one with cellscope train`);
  const ids: string[] = [];
  for (const dir of dirs) {
    const { meta } = readModelJson(dir);
    ids.push(meta.id);
    const complete = await prisma.recording.findFirst({ where: { modelId: meta.id, status: "complete", split: "test" } });
    // A model retrained since it was recorded (its training record changed) is recorded again.
    const stored = await prisma.model.findUnique({ where: { id: meta.id }, select: { training: true } });
    const retrained = Boolean(complete && stored && stored.training !== JSON.stringify(meta.training));
    if (complete && !retrained) {
      const detectors = await prisma.detector.count({ where: { modelId: meta.id, recordingId: complete.id } });
      if (detectors > 0) continue;
    } else {
      const model = loadModel(dir);
      await registerModel(prisma, model, loadCorpusFor(model.meta));
      const t0 = performance.now();
      if (retrained) ev.onStep?.(`${meta.id}: the model changed since it was recorded`);
      ev.onStep?.(`${meta.id}: recording its test split`);
      const r = await recordModel(prisma, { model: dir, split: "test", force: retrained, onProgress: (d, t, p) => ev.onProgress?.(meta.id, d, t, p) });
      await prisma.model.update({ where: { id: meta.id }, data: { testNats: r.nats } });
      ev.onStep?.(`${meta.id}: ${r.outcome} ${r.chars.toLocaleString("en")} characters in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${r.nats?.toFixed(3)} nats/char`);
    }
    const n = await findDetectors(prisma, meta.id);
    ev.onStep?.(`${meta.id}: ${n} detectors found`);
  }
  return { models: ids };
}
