/** Takes a unit out of a collection (its model need not exist any more). */
import { writeStore } from "../db.ts";
import { findCollection } from "./collection-info.ts";
import { assertWritable } from "./write-guard.ts";

export async function removeFromCollection(slug: string, model: string, unit: string): Promise<{ collection: string; model: string; unit: string; removed: boolean }> {
  assertWritable();
  const c = await findCollection(slug);
  const r = await writeStore((db) =>
    db.$transaction(async (tx) => {
      const r = await tx.collectionItem.deleteMany({ where: { collectionId: c.id, modelId: model, unit } });
      if (r.count) await tx.collection.update({ where: { id: c.id }, data: { updatedAt: new Date() } });
      return r;
    }),
  );
  return { collection: slug, model, unit, removed: r.count > 0 };
}
