/** Puts a unit in a collection (last), or changes its note when it is already there. */
import { writeStore } from "../db.ts";
import { checkItem, findCollection } from "./collection-info.ts";
import { ItemInput } from "./inputs.ts";
import { assertWritable } from "./write-guard.ts";

export interface CollectionItemInfo {
  collection: string;
  model: string;
  unit: string;
  note: string;
  position: number;
  /** False when the unit was already there (only its note changed). */
  added: boolean;
}

export async function addToCollection(slug: string, input: ItemInput): Promise<CollectionItemInfo> {
  assertWritable();
  const parsed = ItemInput.parse(input);
  const { model, note } = parsed;
  const unit = await checkItem(model, parsed.unit);
  const c = await findCollection(slug);
  return writeStore((db) =>
    db.$transaction(async (tx) => {
      const key = { collectionId_modelId_unit: { collectionId: c.id, modelId: model, unit } };
      const existing = await tx.collectionItem.findUnique({ where: key });
      const row = existing
        ? await tx.collectionItem.update({ where: key, data: { note } })
        : await tx.collectionItem.create({
            data: { collectionId: c.id, modelId: model, unit, note, position: ((await tx.collectionItem.aggregate({ where: { collectionId: c.id }, _max: { position: true } }))._max.position ?? 0) + 1 },
          });
      await tx.collection.update({ where: { id: c.id }, data: { updatedAt: new Date() } });
      return { collection: slug, model, unit, note: row.note, position: row.position, added: !existing };
    }),
  );
}
