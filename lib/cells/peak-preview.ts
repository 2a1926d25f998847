/**
 * A unit's calling card: a short colored excerpt around where it fires
 * hardest, for lists of units that have no query of their own (collections,
 * label search). Hidden and cell units (−1…1) show their value furthest from
 * zero, gates (0…1) their highest.
 */
import { prisma } from "../db.ts";
import { loadModel } from "../models/load-model.ts";
import { NotFoundError } from "../store/recordings.ts";
import { readSnippets, type Snippet } from "./snippets.ts";

/** Previews of some units of one model, by unit (null for a unit with no statistics); NotFoundError when the model has no complete recording. */
export async function readPeakPreviews(modelId: string, units: string[], radius = 24): Promise<Map<string, Snippet | null>> {
  const { rec } = await loadModel(modelId);
  const rows = await prisma.unit.findMany({ where: { recordingId: rec.id, unit: { in: units } }, select: { unit: true, top: true, bottom: true, min: true, max: true } });
  const out = new Map<string, Snippet | null>(units.map((u) => [u, null]));
  for (const row of rows) {
    const signedKind = row.unit.startsWith("c:") || row.unit.startsWith("h:");
    const low = signedKind && -row.min > row.max;
    const offsets = JSON.parse(low ? row.bottom : row.top) as number[];
    if (!offsets.length) continue;
    const [snippet] = await readSnippets(rec, row.unit, [[offsets[0], offsets[0] + 1]], radius);
    out.set(row.unit, snippet ?? null);
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
