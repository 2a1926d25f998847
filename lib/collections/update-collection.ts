/** Changes a collection's title or description; its slug (and so its shared links) stays. */
import { writeStore } from "../db.ts";
import { findCollection, SUMMARY_ITEMS, toSummary, type CollectionSummary } from "./collection-info.ts";
import { CollectionPatch } from "./inputs.ts";
import { assertWritable } from "./write-guard.ts";

export async function updateCollection(slug: string, patch: CollectionPatch): Promise<CollectionSummary> {
  assertWritable();
  const data = CollectionPatch.parse(patch);
  const c = await findCollection(slug);
  return toSummary(await writeStore((db) => db.collection.update({ where: { id: c.id }, data, include: SUMMARY_ITEMS })));
}
