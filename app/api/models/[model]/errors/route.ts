/**
 * GET /api/models/[model]/errors: the model's test loss broken down by the characters it gets
 * wrong, in the 2015 paper's categories, with character n-gram models of the training split beside
 * it (lib/cells/analyze-errors.ts). The first request per corpus counts the n-grams (seconds).
 */
import { respond } from "@/lib/api/errors.ts";
import { ModelParams } from "@/lib/api/params.ts";
import { analyzeErrors } from "@/lib/cells/analyze-errors.ts";

export async function GET(_req: Request, { params }: { params: Promise<{ model: string }> }) {
  return respond(async () => analyzeErrors(ModelParams.parse(await params).model));
}
