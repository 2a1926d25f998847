/**
 * One collection with everything its page shows per unit: the model, the
 * unit's label, the collection's note, and a colored preview around where the
 * unit fires hardest (lib/cells/peak-preview.ts).
 */
import { prisma } from "../db.ts";
import { NotFoundError } from "../api/errors.ts";
import { readPeakPreviewsAcross } from "../cells/peak-preview.ts";
import type { Snippet } from "../cells/snippets.ts";
import { toSummary, type CollectionSummary } from "./collection-info.ts";

export interface CollectionEntry {
  model: string;
  unit: string;
  /** The unit's kind (lib/model/unit-kinds.ts), for coloring the preview. */
  kind: string;
  note: string;
  position: number;
  addedAt: string;
  /** The unit's own label, if someone gave it one. */
  label: { label: string; note: string } | null;
  preview: Snippet | null;
  /** Why there is no preview (e.g. the model has no complete recording), if so. */
  problem?: string;
}

export interface CollectionDetail extends CollectionSummary {
  items: CollectionEntry[];
}

export async function getCollection(slug: string, opts: { previews?: boolean; radius?: number } = {}): Promise<CollectionDetail> {
  const row = await prisma.collection.findUnique({ where: { slug }, include: { items: { orderBy: { position: "asc" } } } });
  if (!row) throw new NotFoundError(`no collection "${slug}"`);
  const labels = row.items.length
    ? await prisma.unitLabel.findMany({ where: { OR: row.items.map((i) => ({ modelId: i.modelId, unit: i.unit })) } })
    : [];
  const labelOf = new Map(labels.map((l) => [`${l.modelId}/${l.unit}`, { label: l.label, note: l.note }]));
  const items = row.items.map((it) => ({ model: it.modelId, unit: it.unit }));
  const { previews, problems } = opts.previews === false ? { previews: new Map<string, Snippet | null>(), problems: new Map<string, string>() } : await readPeakPreviewsAcross(items, opts.radius);
  const entries: CollectionEntry[] = row.items.map((it) => {
    const problem = problems.get(it.modelId);
    return {
      model: it.modelId,
      unit: it.unit,
      kind: it.unit[0],
      note: it.note,
      position: it.position,
      addedAt: it.addedAt.toISOString(),
      label: labelOf.get(`${it.modelId}/${it.unit}`) ?? null,
      preview: previews.get(`${it.modelId}/${it.unit}`) ?? null,
      ...(problem ? { problem } : {}),
    };
  });
  return { ...toSummary(row), items: entries };
}
