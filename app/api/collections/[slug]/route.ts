/**
 * GET    /api/collections/[slug]   the collection and its units (model, unit, note, label, preview)
 * PATCH  the same URL {"title"?, "description"?}: rename or redescribe (the slug stays)
 * DELETE the same URL: delete it (the units and their labels stay)
 * Writes: same-origin only; 403 when CELLSCOPE_READ_ONLY=1; a PATCH body must be JSON (415) of at most MAX_BODY_BYTES (413).
 */
import { respond } from "@/lib/api/errors.ts";
import { queryOf } from "@/lib/api/params.ts";
import { deleteCollection } from "@/lib/collections/delete-collection.ts";
import { getCollection } from "@/lib/collections/get-collection.ts";
import { updateCollection } from "@/lib/collections/update-collection.ts";
import { readJsonBody } from "@/lib/api/body.ts";
import { guardWrite } from "@/lib/collections/write-guard.ts";
import { CollectionPatch, DetailQuery, SlugParams } from "./schema.ts";

type Ctx = { params: Promise<{ slug: string }> };

export async function GET(req: Request, { params }: Ctx) {
  return respond(async () => {
    const { slug } = SlugParams.parse(await params);
    const { previews } = DetailQuery.parse(queryOf(req));
    return { collection: await getCollection(slug, { previews: previews === "1" }) };
  });
}

export async function PATCH(req: Request, { params }: Ctx) {
  return respond(async () => {
    guardWrite(req);
    const { slug } = SlugParams.parse(await params);
    const patch = CollectionPatch.parse(await readJsonBody(req, { example: '{"title": "…", "description": "…"}' }));
    return { collection: await updateCollection(slug, patch) };
  });
}

export async function DELETE(req: Request, { params }: Ctx) {
  return respond(async () => {
    guardWrite(req);
    const { slug } = SlugParams.parse(await params);
    return deleteCollection(slug);
  });
}
