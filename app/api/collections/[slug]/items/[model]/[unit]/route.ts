/**
 * PUT    /api/collections/[slug]/items/[model]/[unit]  {"note": "…"}: put the unit in
 *        the collection (last), or change its note if it is there already
 * DELETE the same URL: take it out
 * Same-origin only; 403 when CELLSCOPE_READ_ONLY=1; the body must be JSON (415 otherwise) of at most MAX_BODY_BYTES (413).
 */
import { respond } from "@/lib/api/errors.ts";
import { addToCollection } from "@/lib/collections/add-to-collection.ts";
import { removeFromCollection } from "@/lib/collections/remove-from-collection.ts";
import { readJsonBody } from "@/lib/api/body.ts";
import { guardWrite } from "@/lib/collections/write-guard.ts";
import { ItemParams, NoteInput } from "./schema.ts";

type Ctx = { params: Promise<{ slug: string; model: string; unit: string }> };

async function put(req: Request, { params }: Ctx) {
  return respond(async () => {
    guardWrite(req);
    const { slug, model, unit } = ItemParams.parse(await params);
    const { note } = NoteInput.parse(await readJsonBody(req, { example: '{"note": "why this unit is here"}' }));
    return { item: await addToCollection(slug, { model, unit, note }) };
  });
}

export const PUT = put;
export const POST = put;

export async function DELETE(req: Request, { params }: Ctx) {
  return respond(async () => {
    guardWrite(req);
    const { slug, model, unit } = ItemParams.parse(await params);
    return removeFromCollection(slug, model, unit);
  });
}
