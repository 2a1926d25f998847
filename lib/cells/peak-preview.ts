/**
 * A unit's calling card: a short colored excerpt where it varies most (its
 * high and low values in one glance: a quote cell on and off around a quote),
 * for lists of units that have no query of their own (collections, label
 * search). The marked character is the excerpt's peak: hidden and cell units
 * (−1…1) their value furthest from zero in the direction they reach furthest
 * overall, gates (0…1) their highest.
 */
import { prisma } from "../db.ts";
import { getModelContext } from "./model-context.ts";
import { openBulk, readUnitRange } from "../store/activations.ts";
import { NotFoundError } from "../store/recordings.ts";
import { snippetOf, type Snippet } from "./snippets.ts";
import { findExtreme, findTellingStretch } from "./telling-stretch.ts";

/** Previews of some units of one model, by unit (null for a unit with no statistics); NotFoundError when the model has no complete recording. */
export async function readPeakPreviews(modelId: string, units: string[], radius = 24): Promise<Map<string, Snippet | null>> {
  const { rec } = await getModelContext(modelId);
  const rows = await prisma.unit.findMany({ where: { recordingId: rec.id, unit: { in: units } }, select: { unit: true, min: true, max: true } });
  const out = new Map<string, Snippet | null>(units.map((u) => [u, null]));
  for (const row of rows) {
    // The unit's whole series is one byte per character (160 KB for War and Peace's test split).
    const q = readUnitRange(openBulk(), rec.id, row.unit, rec.chunkChars, 0, rec.chars);
    const { start, end } = findTellingStretch(q, 2 * radius + 1);
    const signedKind = row.unit.startsWith("c:") || row.unit.startsWith("h:");
    const peak = findExtreme(q, start, end, signedKind && -row.min > row.max);
    out.set(row.unit, await snippetOf(rec, row.unit, q, start, end, [peak, peak + 1]));
  }
  return out;
}

/** Previews of units of any models, keyed "model/unit"; a model without a complete recording gets its NotFoundError's message instead. */
export async function readPeakPreviewsAcross(items: { model: string; unit: string }[], radius = 24): Promise<{ previews: Map<string, Snippet | null>; problems: Map<string, string> }> {
  const byModel = new Map<string, string[]>();
  for (const it of items) byModel.set(it.model, [...(byModel.get(it.model) ?? []), it.unit]);
  const previews = new Map<string, Snippet | null>();
  const problems = new Map<string, string>();
  for (const [model, units] of byModel) {
    try {
      for (const [unit, s] of await readPeakPreviews(model, units, radius)) previews.set(`${model}/${unit}`, s);
    } catch (e) {
      // A model being re-recorded has no complete recording for a while: list its units without previews.
      if (!(e instanceof NotFoundError)) throw e;
      problems.set(model, e.message);
    }
  }
  return { previews, problems };
}
