/**
 * PUT /api/models/[model]/units/[unit]/label  {"label": "quote detector", "note": "…"}
 * DELETE the same URL to remove it. Same-origin only; 403 when CELLSCOPE_READ_ONLY=1.
 * The body must be JSON (415 otherwise) of at most MAX_BODY_BYTES (413).
 */
import { ForbiddenError, respond } from "@/lib/api/errors.ts";
import { readJsonBody } from "@/lib/api/body.ts";
import { checkSameOrigin, UnitParams } from "@/lib/api/params.ts";
import { deleteLabel, isReadOnly, setLabel } from "@/lib/cells/set-label.ts";
import { LabelInput } from "./schema.ts";

type Ctx = { params: Promise<{ model: string; unit: string }> };

function guard(req: Request) {
  if (isReadOnly()) throw new ForbiddenError("this Cellscope is read-only (CELLSCOPE_READ_ONLY is set): labels cannot be changed");
  checkSameOrigin(req);
}

async function put(req: Request, { params }: Ctx) {
  return respond(async () => {
    guard(req);
    const { model, unit } = UnitParams.parse(await params);
    const body = await readJsonBody(req, { example: '{"label": "quote detector", "note": "…"}' });
    return { label: await setLabel(model, unit, LabelInput.parse(body)) };
  });
}

export const PUT = put;
export const POST = put;

export async function DELETE(req: Request, { params }: Ctx) {
  return respond(async () => {
    guard(req);
    const { model, unit } = UnitParams.parse(await params);
    return deleteLabel(model, unit);
  });
}
