/** Deletes a collection and its items (the units and their labels stay). */
import { writeStore } from "../db.ts";
import { assertWritable } from "./write-guard.ts";

export async function deleteCollection(slug: string): Promise<{ slug: string; deleted: boolean }> {
  assertWritable();
  const r = await writeStore((db) => db.collection.deleteMany({ where: { slug } }));
  return { slug, deleted: r.count > 0 };
}
