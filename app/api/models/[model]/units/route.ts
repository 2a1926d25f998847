/**
 * GET /api/models/[model]/units[?kind=&layer=]: what the model page draws:
 * every unit's statistics and best built-in signal score (the unit map), and
 * the gates' saturation (the scatter; null when the gates were never recorded).
 */
import { respond } from "@/lib/api/errors.ts";
import { ModelParams, queryOf } from "@/lib/api/params.ts";
import { listGateStats, listUnitStats } from "@/lib/cells/get-model.ts";
import { UnitsQuery } from "./schema.ts";

export async function GET(req: Request, { params }: { params: Promise<{ model: string }> }) {
  return respond(async () => {
    const { model } = ModelParams.parse(await params);
    const { kind, layer } = UnitsQuery.parse(queryOf(req));
    const [units, gates] = await Promise.all([listUnitStats(model), listGateStats(model)]);
    return { units: units.filter((u) => (kind === undefined || u.kind === kind) && (layer === undefined || u.layer === layer)), gates };
  });
}
