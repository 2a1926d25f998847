/**
 * GET /api/models/[model]/inspect?at=OFFSET: every unit at that character
 * (grouped by kind and layer, sorted), the top-5 next-character guesses and the loss.
 */
import { respond } from "@/lib/api/errors.ts";
import { ModelParams, queryOf } from "@/lib/api/params.ts";
import { inspectChar } from "@/lib/inspect/inspect-char.ts";
import { InspectQuery } from "./schema.ts";

export async function GET(req: Request, { params }: { params: Promise<{ model: string }> }) {
  return respond(async () => {
    const { model } = ModelParams.parse(await params);
    const { at } = InspectQuery.parse(queryOf(req));
    return inspectChar(model, at);
  });
}
