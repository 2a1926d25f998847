/**
 * GET /api/models/[model]/text[?recording=ID]: the whole recorded text. With
 * `recording` (the id the cell page was rendered with) the answer never
 * changes, so the browser may keep it: every unit's page reuses it.
 */
import { respond } from "@/lib/api/errors.ts";
import { ModelParams, queryOf } from "@/lib/api/params.ts";
import { readText } from "@/lib/cells/read-text.ts";
import { TextQuery } from "./schema.ts";

const FOREVER = { headers: { "cache-control": "private, max-age=31536000, immutable" } };

export async function GET(req: Request, { params }: { params: Promise<{ model: string }> }) {
  // Errors are never cached (respond answers them without these headers).
  const pinned = new URL(req.url).searchParams.has("recording");
  return respond(async () => {
    const { model } = ModelParams.parse(await params);
    const q = TextQuery.parse(queryOf(req));
    return readText(model, q.recording);
  }, pinned ? FOREVER : undefined);
}
