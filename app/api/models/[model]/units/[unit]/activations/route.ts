/**
 * GET /api/models/[model]/units/[unit]/activations?start=&end=[&surprise=1]:
 * the unit's values over [start, end) with the text (at most 20,000 characters).
 */
import { respond } from "@/lib/api/errors.ts";
import { queryOf, UnitParams } from "@/lib/api/params.ts";
import { readActivations } from "@/lib/cells/read-activations.ts";
import { ActivationsQuery } from "./schema.ts";

export async function GET(req: Request, { params }: { params: Promise<{ model: string; unit: string }> }) {
  return respond(async () => {
    const { model, unit } = UnitParams.parse(await params);
    const q = ActivationsQuery.parse(queryOf(req));
    return readActivations(model, unit, { start: q.start, end: q.end }, { surprise: q.surprise });
  });
}
