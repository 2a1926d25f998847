/**
 * PUT /api/models/[model]/units/[unit]/label  {"label": "quote detector", "note": "…"}
 * DELETE the same URL to remove it. Same-origin only; 403 when CELLSCOPE_READ_ONLY=1.
 */
import { InputError, respond } from "@/lib/api/errors.ts";
import { checkSameOrigin, UnitParams } from "@/lib/api/params.ts";
import { deleteLabel, isReadOnly, setLabel } from "@/lib/cells/set-label.ts";
import { ForbiddenError } from "@/lib/api/errors.ts";
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
    let body: unknown;
    try {
      body = await req.json();
    } catch {
      throw new InputError('the body must be JSON: {"label": "…", "note": "…"}');
    }
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
