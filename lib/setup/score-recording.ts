/**
 * Set-up's last step for a model: score every unit of its recording against
 * every built-in signal and store the scores (SignalScore, read by the cell
 * page) and each signal's best unit (Detector, the home page's gallery).
 */
import type { PrismaClient } from "../generated/prisma/client.ts";
import { scoreAllUnits } from "../search/score-all-units.ts";
import { SIGNALS } from "../search/signals.ts";
import { openBulk } from "../store/activations.ts";
import { findRecording } from "../store/recordings.ts";

/** Whether some unit of the recording lacks its score against some built-in signal (a new recording, an older store, or a signal added since). */
export async function needsScoring(prisma: PrismaClient, recordingId: number): Promise<boolean> {
  const [units, bySignal] = await Promise.all([
    prisma.unit.count({ where: { recordingId } }),
    prisma.signalScore.groupBy({ by: ["signal"], where: { recordingId }, _count: { _all: true } }),
  ]);
  const have = new Map(bySignal.map((g) => [g.signal, g._count._all]));
  return SIGNALS.some((s) => (have.get(s.name) ?? 0) < units);
}

/** Scores and stores; returns how many detectors were found (signals constant over this text have none) and scores stored. */
export async function scoreRecording(prisma: PrismaClient, modelId: string): Promise<{ detectors: number; scores: number }> {
  const rec = await findRecording(modelId);
  const { units, rankings } = await scoreAllUnits(rec);
  const scores: { recordingId: number; unit: string; signal: string; r: number | null; auc: number | null; problem: string | null }[] = [];
  const detectors = [];
  for (const { signal, ranking } of rankings) {
    if (ranking.problem) {
      // No unit has a score; each row says why (the cell page shows it).
      for (const unit of units) scores.push({ recordingId: rec.id, unit, signal: signal.name, r: null, auc: null, problem: ranking.problem });
      continue;
    }
    for (const s of ranking.results) scores.push({ recordingId: rec.id, unit: s.unit, signal: signal.name, r: s.r, auc: s.auc ?? null, problem: null });
    const best = ranking.results[0];
    if (best) detectors.push({ modelId, signal: signal.name, unit: best.unit, r: best.r, auc: best.auc ?? null, recordingId: rec.id });
  }
  await prisma.$transaction([prisma.detector.deleteMany({ where: { modelId } }), prisma.detector.createMany({ data: detectors })]);
  // Last, so that complete scores mean the detectors are there too. Through
  // better-sqlite3: Prisma's createMany takes seconds for a 2×256 model's 16k rows.
  const db = openBulk();
  const insert = db.prepare(`INSERT INTO "SignalScore" ("recordingId", "unit", "signal", "r", "auc", "problem") VALUES (?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    db.prepare(`DELETE FROM "SignalScore" WHERE "recordingId" = ?`).run(rec.id);
    for (const s of scores) insert.run(s.recordingId, s.unit, s.signal, s.r, s.auc, s.problem);
  })();
  return { detectors: detectors.length, scores: scores.length };
}
