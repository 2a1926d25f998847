/**
 * GET /api/models/[model]/units/[unit]/knockout?from=&to=&value=: the change
 * in loss per character when the unit is held at a value (lib/cells/knock-out.ts).
 */
import { respond } from "@/lib/api/errors.ts";
import { queryOf, UnitParams } from "@/lib/api/params.ts";
import { knockOut } from "@/lib/cells/knock-out.ts";
import { KnockOutQuery } from "./schema.ts";

export async function GET(req: Request, { params }: { params: Promise<{ model: string; unit: string }> }) {
  return respond(async () => {
    const { model, unit } = UnitParams.parse(await params);
    const q = KnockOutQuery.parse(queryOf(req));
    return knockOut(model, unit, { from: q.from, to: q.to ?? q.from + 5000, value: q.value });
  });
}
