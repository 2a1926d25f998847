/**
 * GET /api/models/[model]/units/[unit]/correlated: the units that move most
 * like this one (Pearson r over the recording, constant units and its own cell
 * left out). The cell page asks for it after it has loaded: ranking every unit
 * takes 40–70 ms, half of what rendering the page itself costs.
 */
import { respond } from "@/lib/api/errors.ts";
import { UnitParams } from "@/lib/api/params.ts";
import { findCorrelatedUnits } from "@/lib/cells/correlated-units.ts";

export async function GET(_req: Request, { params }: { params: Promise<{ model: string; unit: string }> }) {
  return respond(async () => {
    const { model, unit } = UnitParams.parse(await params);
    return { model, unit, correlated: await findCorrelatedUnits(model, unit, 5) };
  });
}
