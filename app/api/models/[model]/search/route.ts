/**
 * GET /api/models/[model]/search?q=REGEX[&mode=inside|start|end|after|depth][&close=REGEX]
 *     or ?signal=NAME; with &limit=N (1–5000, default 25), &sort=r|auc, and &from=S&to=E to
 *     rank over recording offsets [S, E) only (past the end: 404).
 * Ranked units with r (and AUC for on/off signals), std and a caution for units that barely
 * move (constant ones ranked last, counted in `constant`), a preview around the first match,
 * and `noTrack` when the best |r| is too small for any unit to track the query (lib/search).
 * The query's schema is SearchQuery (./schema.ts), read by lib/cells/search-cells.ts; a
 * regex that takes over REGEX_TIME_LIMIT_MS to match is stopped and refused (lib/api/limits.ts).
 */
import { respond } from "@/lib/api/errors.ts";
import { ModelParams, searchParamsOf } from "@/lib/api/params.ts";
import { searchCellsFromParams } from "@/lib/cells/search-cells.ts";

export async function GET(req: Request, { params }: { params: Promise<{ model: string }> }) {
  return respond(async () => {
    const { model } = ModelParams.parse(await params);
    return searchCellsFromParams(model, searchParamsOf(req));
  });
}
