/**
 * A unit's calling card: a short colored excerpt around where it fires
 * hardest, for lists of units that have no query of their own (collections,
 * label search). Hidden and cell units (−1…1) show their value furthest from
 * zero, gates (0…1) their highest.
 */
import { prisma } from "../db.ts";
import { loadModel } from "../models/load-model.ts";
import { readSnippets, type Snippet } from "./snippets.ts";

export async function readPeakPreview(modelId: string, unit: string, radius = 24): Promise<Snippet | null> {
  const { rec } = await loadModel(modelId);
  const row = await prisma.unit.findUnique({ where: { recordingId_unit: { recordingId: rec.id, unit } }, select: { top: true, bottom: true, min: true, max: true } });
  if (!row) return null;
  const signedKind = unit.startsWith("c:") || unit.startsWith("h:");
  const low = signedKind && -row.min > row.max;
  const offsets = JSON.parse(low ? row.bottom : row.top) as number[];
  if (!offsets.length) return null;
  const [snippet] = await readSnippets(rec, unit, [[offsets[0], offsets[0] + 1]], radius);
  return snippet ?? null;
}
