/** GET /api/models/[model]/columns?target=&given=&width=&last=: the loss of a class of characters by column, from the recording. */
import { respond } from "@/lib/api/errors.ts";
import { ModelParams, queryOf } from "@/lib/api/params.ts";
import { measureLossByColumn } from "@/lib/cells/loss-by-column.ts";
import { ColumnsQuery } from "./schema.ts";

export async function GET(req: Request, { params }: { params: Promise<{ model: string }> }) {
  return respond(async () => {
    const { model } = ModelParams.parse(await params);
    return measureLossByColumn(model, ColumnsQuery.parse(queryOf(req)));
  });
}
