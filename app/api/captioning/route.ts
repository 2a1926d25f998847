/**
 * POST /api/captioning  {"scene": "test-3"} or {"objects": [{"shape": "circle", "color": "red", "size": "large", "x": 20, "y": 30}], "unit"?: "c:0:12", "temperature"?: 0}
 * Captions a scene made by code with the shipped captioner, word by word with
 * the top-5 words at each step, whether the caption is true, and the unit's
 * value at every word (lib/cells/caption-scene.ts). Writes nothing.
 */
import { respond } from "@/lib/api/errors.ts";
import { readJsonBody } from "@/lib/api/body.ts";
import { MAX_BODY_BYTES } from "@/lib/api/limits.ts";
import { captionScene } from "@/lib/cells/caption-scene.ts";
import { CaptionBody } from "./schema.ts";

export async function POST(req: Request) {
  return respond(async () => captionScene(CaptionBody.parse(await readJsonBody(req, { example: '{"scene": "test-3", "unit": "c:0:12"}', maxBytes: MAX_BODY_BYTES }))));
}
