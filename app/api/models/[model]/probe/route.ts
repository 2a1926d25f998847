/**
 * GET /api/models/[model]/probe?q=REGEX[&mode=inside|start|end|after|depth][&close=REGEX]
 *     or ?signal=NAME
 * "How many cells does it take": a linear read-out of the signal from the best 1, 2, 4, …, 32
 * units (by |r| on the training part) and from all the units of each layer and kind, trained on
 * the first 80% of the recording and scored on the last 20%: R² (ridge) for depths and positions,
 * AUC (logistic) for on/off signals (lib/search/probe-units.ts). The query's schema is ProbeQuery
 * (./schema.ts), read by lib/cells/probe-cells.ts; errors have the API's one shape.
 */
import { respond } from "@/lib/api/errors.ts";
import { ModelParams, searchParamsOf } from "@/lib/api/params.ts";
import { probeCellsFromParams } from "@/lib/cells/probe-cells.ts";

export async function GET(req: Request, { params }: { params: Promise<{ model: string }> }) {
  return respond(async () => {
    const { model } = ModelParams.parse(await params);
    return probeCellsFromParams(model, searchParamsOf(req));
  });
}
