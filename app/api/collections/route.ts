/**
 * GET  /api/collections                    every collection (title, slug, unit count, models)
 * GET  /api/collections?model=M&unit=U     the collections that hold unit U of model M
 * POST /api/collections {"title", "description", "items": [{"model", "unit", "note"}]}
 *      creates one (201, with its slug). Same-origin only; 403 when CELLSCOPE_READ_ONLY=1;
 *      the body must be JSON (415 otherwise) of at most MAX_COLLECTION_BODY_BYTES (413).
 */
import { respond } from "@/lib/api/errors.ts";
import { queryOf } from "@/lib/api/params.ts";
import { createCollection } from "@/lib/collections/create-collection.ts";
import { listCollections, listUnitCollections } from "@/lib/collections/list-collections.ts";
import { readJsonBody } from "@/lib/api/body.ts";
import { MAX_COLLECTION_BODY_BYTES } from "@/lib/api/limits.ts";
import { guardWrite } from "@/lib/collections/write-guard.ts";
import { CollectionInput, ListQuery } from "./schema.ts";

export async function GET(req: Request) {
  return respond(async () => {
    const q = ListQuery.parse(queryOf(req));
    if (q.model && q.unit) return { collections: await listUnitCollections(q.model, q.unit) };
    return { collections: await listCollections() };
  });
}

export async function POST(req: Request) {
  return respond(
    async () => {
      guardWrite(req);
      const body = CollectionInput.parse(await readJsonBody(req, { example: '{"title": "the famous five", "description": "…"}', maxBytes: MAX_COLLECTION_BODY_BYTES }));
      return { collection: await createCollection(body) };
    },
    { status: 201 },
  );
}
