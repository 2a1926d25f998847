/**
 * GET /api/models/[model]/units/[unit]/activations?start=&end=[&surprise=1][&format=csv]:
 * the unit's values over [start, end) with the text (at most 20,000 characters),
 * as JSON or as a CSV file to download.
 */
import { errorResponse, respond } from "@/lib/api/errors.ts";
import { activationsCsv } from "@/lib/cells/activations-csv.ts";
import { queryOf, UnitParams } from "@/lib/api/params.ts";
import { readActivations } from "@/lib/cells/read-activations.ts";
import { ActivationsQuery } from "./schema.ts";

export async function GET(req: Request, { params }: { params: Promise<{ model: string; unit: string }> }) {
  if (new URL(req.url).searchParams.get("format") === "csv") {
    try {
      const { model, unit } = UnitParams.parse(await params);
      const q = ActivationsQuery.parse(queryOf(req));
      const a = await readActivations(model, unit, { start: q.start, end: q.end }, { surprise: q.surprise });
      const name = `${model}-${unit.replace(/:/g, "-")}-${a.start}-${a.end}.csv`;
      return new Response(activationsCsv(a), { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"` } });
    } catch (err) {
      return errorResponse(err);
    }
  }
  return respond(async () => {
    const { model, unit } = UnitParams.parse(await params);
    const q = ActivationsQuery.parse(queryOf(req));
    return readActivations(model, unit, { start: q.start, end: q.end }, { surprise: q.surprise });
  });
}
