/** Creates a collection (optionally with its first units) under a slug made from its title. */
import { prisma, writeStore } from "../db.ts";
import { checkItem, SUMMARY_ITEMS, toSummary, type CollectionSummary } from "./collection-info.ts";
import { CollectionInput } from "./inputs.ts";
import { firstFreeSlug, slugify } from "./make-slug.ts";
import { assertWritable } from "./write-guard.ts";

export async function createCollection(input: CollectionInput): Promise<CollectionSummary> {
  assertWritable();
  const { title, description, items } = CollectionInput.parse(input);
  // Check every unit before writing anything; a unit named twice keeps its first note.
  const seen = new Map<string, { modelId: string; unit: string; note: string }>();
  for (const it of items) {
    const unit = await checkItem(it.model, it.unit);
    const key = `${it.model}/${unit}`;
    if (!seen.has(key)) seen.set(key, { modelId: it.model, unit, note: it.note });
  }
  const base = slugify(title);
  // Two creations with the same title at once can pick the same slug: the
  // unique index refuses the second, which then tries the next free one.
  for (let attempt = 0; ; attempt++) {
    const taken = await prisma.collection.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } });
    const slug = firstFreeSlug(
      base,
      taken.map((t) => t.slug),
    );
    try {
      const row = await writeStore((db) =>
        db.collection.create({
          data: { slug, title, description, items: { create: [...seen.values()].map((it, i) => ({ ...it, position: i + 1 })) } },
          include: SUMMARY_ITEMS,
        }),
      );
      return toSummary(row);
    } catch (e) {
      if (attempt < 3 && (e as { code?: string }).code === "P2002") continue;
      throw e;
    }
  }
}
