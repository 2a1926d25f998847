/** GET /api/models/[model]: the model, its recording, training curve and detectors. */
import { respond } from "@/lib/api/errors.ts";
import { ModelParams } from "@/lib/api/params.ts";
import { getModel } from "@/lib/cells/get-model.ts";

export async function GET(_req: Request, { params }: { params: Promise<{ model: string }> }) {
  return respond(async () => {
    const { model } = ModelParams.parse(await params);
    return { model: await getModel(model) };
  });
}
