/** Takes a unit out of a collection (its model need not exist any more). */
import { prisma } from "../db.ts";
import { findCollection } from "./collection-info.ts";
import { assertWritable } from "./write-guard.ts";

export async function removeFromCollection(slug: string, model: string, unit: string): Promise<{ collection: string; model: string; unit: string; removed: boolean }> {
  assertWritable();
  const c = await findCollection(slug);
  const r = await prisma.collectionItem.deleteMany({ where: { collectionId: c.id, modelId: model, unit } });
  if (r.count) await prisma.collection.update({ where: { id: c.id }, data: { updatedAt: new Date() } });
  return { collection: slug, model, unit, removed: r.count > 0 };
}
