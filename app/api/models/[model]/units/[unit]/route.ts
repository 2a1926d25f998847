/**
 * GET /api/models/[model]/units/[unit][?snippets=N]: what the cell page shows
 * besides the text: a unit's statistics, label and neighbours, its top and
 * bottom activating snippets (N of each, default 10), and its score against
 * every built-in signal. The cell page's panels of snippets and scores read it.
 */
import { respond } from "@/lib/api/errors.ts";
import { queryOf, UnitParams } from "@/lib/api/params.ts";
import { getCell, readCellSnippets } from "@/lib/cells/get-cell.ts";
import { scoreSignals } from "@/lib/cells/score-signals.ts";
import { UnitQuery } from "./schema.ts";

export async function GET(req: Request, { params }: { params: Promise<{ model: string; unit: string }> }) {
  return respond(async () => {
    const { model, unit } = UnitParams.parse(await params);
    const q = UnitQuery.parse(queryOf(req));
    const cell = await getCell(model, unit);
    const [snippets, signals] = await Promise.all([readCellSnippets(cell, q.snippets), scoreSignals(model, unit)]);
    return { unit: cell, snippets, signals };
  });
}
