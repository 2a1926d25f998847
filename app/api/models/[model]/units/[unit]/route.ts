/** GET /api/models/[model]/units/[unit]: a unit's statistics, label and neighbours. */
import { respond } from "@/lib/api/errors.ts";
import { UnitParams } from "@/lib/api/params.ts";
import { getCell } from "@/lib/cells/get-cell.ts";

export async function GET(_req: Request, { params }: { params: Promise<{ model: string; unit: string }> }) {
  return respond(async () => {
    const { model, unit } = UnitParams.parse(await params);
    return { unit: await getCell(model, unit) };
  });
}
