/** Every collection (newest change first), and the collections that hold one unit. */
import { prisma } from "../db.ts";
import { SUMMARY_ITEMS, toSummary, type CollectionSummary } from "./collection-info.ts";

export async function listCollections(): Promise<CollectionSummary[]> {
  const rows = await prisma.collection.findMany({ include: SUMMARY_ITEMS, orderBy: [{ updatedAt: "desc" }, { id: "desc" }] });
  return rows.map(toSummary);
}

export interface UnitMembership {
  slug: string;
  title: string;
  /** The collection's note on this unit. */
  note: string;
}

/** The collections a unit of a model is in, by title. */
export async function listUnitCollections(model: string, unit: string): Promise<UnitMembership[]> {
  const items = await prisma.collectionItem.findMany({
    where: { modelId: model, unit },
    select: { note: true, collection: { select: { slug: true, title: true } } },
  });
  return items.map((i) => ({ slug: i.collection.slug, title: i.collection.title, note: i.note })).sort((a, b) => a.title.localeCompare(b.title));
}

/**
 * The cell page's two lists in one query: every collection's slug and title
 * (newest change first, what "Add to collection" offers) and the collections
 * that hold the unit, as listUnitCollections gives them.
 */
export async function listCollectionsForUnit(model: string, unit: string): Promise<{ all: { slug: string; title: string }[]; holding: UnitMembership[] }> {
  const rows = await prisma.collection.findMany({
    select: { slug: true, title: true, items: { where: { modelId: model, unit }, select: { note: true } } },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
  });
  return {
    all: rows.map((r) => ({ slug: r.slug, title: r.title })),
    holding: rows
      .filter((r) => r.items.length > 0)
      .map((r) => ({ slug: r.slug, title: r.title, note: r.items[0].note }))
      .sort((a, b) => a.title.localeCompare(b.title)),
  };
}
