/**
 * "About 5% of the cells track something a person can name" (CS231n lecture
 * 10), measured: the units of a model whose score against some built-in
 * signal made for its text is interpretable (lib/search/strength.ts), from
 * set-up's SignalScore rows. The home page shows the count, the model page
 * the list.
 */
import { prisma } from "../db.ts";
import { openBulk } from "../store/activations.ts";
import { NotFoundError } from "../store/recordings.ts";
import { signalFits } from "../search/signals.ts";
import { isConstantUnit, isInterpretable } from "../search/strength.ts";
import { getModelContext } from "./model-context.ts";

export interface InterpretableUnit {
  unit: string;
  kind: string;
  layer: number;
  /** The signal it tracks best among those it tracks interpretably (largest |r|), with its scores. */
  signal: string;
  r: number;
  auc: number | null;
  label: string | null;
}

export interface InterpretableUnits {
  model: string;
  /** Units in the shown recording. */
  units: number;
  /** Whether set-up has scored the recording (no scores, no count). */
  scored: boolean;
  interpretable: InterpretableUnit[];
}

export async function listInterpretableUnits(modelId: string): Promise<InterpretableUnits> {
  const { model, rec } = await getModelContext(modelId);
  const [units, scores, labels] = await Promise.all([
    prisma.unit.findMany({ where: { recordingId: rec.id }, select: { unit: true, kind: true, layer: true, index: true, std: true }, orderBy: [{ kind: "asc" }, { layer: "asc" }, { index: "asc" }] }),
    readScores(rec.id),
    prisma.unitLabel.findMany({ where: { modelId }, select: { unit: true, label: true } }),
  ]);
  const labelOf = new Map(labels.map((l) => [l.unit, l.label]));
  // Only signals made for this text: a code signal's stray matches in prose can make any unit look like a detector.
  const best = new Map<string, { signal: string; r: number; auc: number | null }>();
  for (const s of scores) {
    const score = { signal: s.signal, r: s.r, auc: s.auc };
    if (!signalFits(s.signal, model.corpusId) || !isInterpretable(score)) continue;
    const had = best.get(s.unit);
    if (!had || Math.abs(score.r) > Math.abs(had.r)) best.set(s.unit, score);
  }
  const interpretable: InterpretableUnit[] = [];
  for (const u of units) {
    const b = best.get(u.unit);
    // A unit that barely moves has no signal to speak of, whatever its correlation.
    if (b && !isConstantUnit(u)) interpretable.push({ unit: u.unit, kind: u.kind, layer: u.layer, ...b, label: labelOf.get(u.unit) ?? null });
  }
  return { model: modelId, units: units.length, scored: scores.length > 0, interpretable };
}

/**
 * Every score of a recording (a 2×256 model has 18,000): through better-sqlite3,
 * as Prisma's engine takes ten times as long to copy that many rows.
 */
async function readScores(recordingId: number): Promise<{ unit: string; signal: string; r: number; auc: number | null }[]> {
  return openBulk()
    .prepare(`SELECT "unit", "signal", "r", "auc" FROM "SignalScore" WHERE "recordingId" = ? AND "r" IS NOT NULL`)
    .all(recordingId) as { unit: string; signal: string; r: number; auc: number | null }[];
}

/** The count for every model with a recording (the home page), by model id. */
export async function countInterpretableUnits(modelIds: readonly string[]): Promise<Map<string, { units: number; interpretable: number; scored: boolean }>> {
  const out = new Map<string, { units: number; interpretable: number; scored: boolean }>();
  for (const id of modelIds) {
    try {
      const l = await listInterpretableUnits(id);
      out.set(id, { units: l.units, interpretable: l.interpretable.length, scored: l.scored });
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e; // a model not recorded yet has no count
    }
  }
  return out;
}
