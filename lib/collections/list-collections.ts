/** Every collection (newest change first), and the collections that hold one unit. */
import { prisma } from "../db.ts";
import { SUMMARY_ITEMS, toSummary, type CollectionSummary } from "./collection-info.ts";

export async function listCollections(): Promise<CollectionSummary[]> {
  const rows = await prisma.collection.findMany({ include: SUMMARY_ITEMS, orderBy: [{ updatedAt: "desc" }, { id: "desc" }] });
  return rows.map(toSummary);
}

/** Every collection's slug and title (newest change first): what "Add to collection" offers, without reading any items. */
export async function listCollectionNames(): Promise<{ slug: string; title: string }[]> {
  return prisma.collection.findMany({ select: { slug: true, title: true }, orderBy: [{ updatedAt: "desc" }, { id: "desc" }] });
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
