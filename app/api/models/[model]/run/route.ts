/**
 * POST /api/models/[model]/run  {"text": "…", "unit": "c:1:40", "prime"?: "…", "at"?: 12}
 * Runs the model over the text (up to MAX_RUN_CHARS characters, after the
 * prime, from a zero state) and answers the unit's value and the loss at every
 * character, and with `at` the inspector at that character
 * (lib/cells/run-text.ts). Writes nothing, so it works in read-only mode too.
 */
import { respond } from "@/lib/api/errors.ts";
import { readJsonBody } from "@/lib/api/body.ts";
import { MAX_RUN_BODY_BYTES } from "@/lib/api/limits.ts";
import { ModelParams } from "@/lib/api/params.ts";
import { runText } from "@/lib/cells/run-text.ts";
import { RunBody } from "./schema.ts";

export async function POST(req: Request, { params }: { params: Promise<{ model: string }> }) {
  return respond(async () => {
    const { model } = ModelParams.parse(await params);
    const body = RunBody.parse(await readJsonBody(req, { example: '{"text": "\\"Hello,\\" she said.", "unit": "c:1:40"}', maxBytes: MAX_RUN_BODY_BYTES }));
    return runText(model, body);
  });
}
