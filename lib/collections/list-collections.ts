/** Every collection (newest change first), and the collections that hold one unit. */
import { prisma } from "../db.ts";
import { openBulk, statement } from "../store/activations.ts";
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
 * The cell page's two lists in one statement: every collection's slug and
 * title (newest change first, what "Add to collection" offers) and the
 * collections that hold the unit, as listUnitCollections gives them. Every
 * cell page asks, so it is one prepared statement on the store's bulk
 * connection (lib/store/unit-rows.ts says why) rather than a Prisma query; it
 * sees every committed write, and collections.test.ts holds it to Prisma's
 * listUnitCollections.
 */
export function listCollectionsForUnit(model: string, unit: string): { all: { slug: string; title: string }[]; holding: UnitMembership[] } {
  const rows = statement(
    openBulk(),
    `SELECT c."slug", c."title", i."note" FROM "Collection" c
     LEFT JOIN "CollectionItem" i ON i."collectionId" = c."id" AND i."modelId" = ? AND i."unit" = ?
     ORDER BY c."updatedAt" DESC, c."id" DESC`,
  ).all(model, unit) as { slug: string; title: string; note: string | null }[];
  return {
    all: rows.map((r) => ({ slug: r.slug, title: r.title })),
    holding: rows
      .filter((r) => r.note !== null)
      .map((r) => ({ slug: r.slug, title: r.title, note: r.note! }))
      .sort((a, b) => a.title.localeCompare(b.title)),
  };
}
