/**
 * GET /api/models/[model]/match?from=&to=[&threshold=0.5]: select and match —
 * the units on throughout [from, to) and off just before it, and the other
 * places where that set is on (lib/cells/match-cells.ts).
 */
import { respond } from "@/lib/api/errors.ts";
import { ModelParams, queryOf } from "@/lib/api/params.ts";
import { matchCells, MatchQuery } from "@/lib/cells/match-cells.ts";

export async function GET(req: Request, { params }: { params: Promise<{ model: string }> }) {
  return respond(async () => {
    const { model } = ModelParams.parse(await params);
    return matchCells(model, MatchQuery.parse(queryOf(req)));
  });
}
