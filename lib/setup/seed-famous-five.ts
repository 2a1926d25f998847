/**
 * Set-up seeds the collection /collections/the-famous-five (the README's
 * example) from the detectors it found: the best unit for each famous signal
 * (lib/search/famous.ts), never unit numbers written down anywhere. Once
 * there, it is the user's: a later set-up leaves it alone whatever they did to
 * it (only a deleted one is seeded again, as on a fresh store).
 */
import type { PrismaClient } from "../generated/prisma/client.ts";
import { pickFamousFive } from "../search/famous.ts";
import { getSignal } from "../search/signals.ts";

export const FAMOUS_FIVE = { slug: "the-famous-five", title: "The famous five" } as const;

const DESCRIPTION =
  "The cells Karpathy, Johnson & Fei-Fei (2015) made famous, as set-up found them in these models: for each famous built-in signal (quotes, if conditions, comments, brace depth, LaTeX math, then the line cells), the unit that tracks it best. Seeded once by set-up; yours to edit.";

const num = (x: number) => (x < 0 ? "−" : "") + Math.abs(x).toFixed(2);

/** Creates the collection when the store lacks it and there are famous detectors; returns how many units it got (0: nothing done). */
export async function seedFamousFive(prisma: PrismaClient): Promise<number> {
  if (await prisma.collection.findUnique({ where: { slug: FAMOUS_FIVE.slug }, select: { id: true } })) return 0;
  const [detectors, models] = await Promise.all([prisma.detector.findMany(), prisma.model.findMany({ select: { id: true, corpusId: true, kind: true } })]);
  // The paper's cells are char models' cells, not a captioner decoder's.
  const chars = new Set(models.filter((m) => m.kind !== "captioner").map((m) => m.id));
  const five = pickFamousFive(
    detectors.filter((d) => chars.has(d.modelId)).map((d) => ({ ...d, model: d.modelId })),
    new Map(models.map((m) => [m.id, m.corpusId])),
  );
  if (!five.length) return 0;
  const items = five.map((d, i) => ({
    modelId: d.model,
    unit: d.unit,
    position: i + 1,
    note: `${d.signal}: ${getSignal(d.signal).description} (r ${num(d.r)}${d.auc === null ? "" : `, AUC ${d.auc.toFixed(2)}`} when set-up found it)`,
  }));
  try {
    await prisma.collection.create({ data: { ...FAMOUS_FIVE, description: DESCRIPTION, items: { create: items } } });
  } catch (e) {
    // Another set-up (or a user) took the slug a moment ago: theirs stands.
    if ((e as { code?: string }).code === "P2002") return 0;
    throw e;
  }
  return items.length;
}
