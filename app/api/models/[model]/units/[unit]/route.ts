/**
 * GET /api/models/[model]/units/[unit]: what the cell page shows besides the
 * text: a unit's statistics, label and neighbours, its top and bottom
 * activating snippets, and its score against every built-in signal.
 */
import { respond } from "@/lib/api/errors.ts";
import { UnitParams } from "@/lib/api/params.ts";
import { getCell, readCellSnippets } from "@/lib/cells/get-cell.ts";
import { scoreSignals } from "@/lib/cells/score-signals.ts";

export async function GET(_req: Request, { params }: { params: Promise<{ model: string; unit: string }> }) {
  return respond(async () => {
    const { model, unit } = UnitParams.parse(await params);
    const cell = await getCell(model, unit);
    const [snippets, signals] = await Promise.all([readCellSnippets(cell), scoreSignals(model, unit)]);
    return { unit: cell, snippets, signals };
  });
}
