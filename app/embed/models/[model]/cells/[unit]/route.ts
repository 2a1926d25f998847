/**
 * GET /embed/models/[model]/cells/[unit]?from=&to=&scale=cb[&format=svg][&download=1]
 * A stretch of the recorded text colored by one unit, as a page that stands
 * on its own (lib/ui/standalone.ts): no script, styles inline, frameable by
 * any site (next.config.js relaxes the framing rules for /embed/ only). The
 * same file downloads with &download=1; &format=svg gives vector graphics.
 * Errors have the API's one shape.
 */
import { errorResponse } from "@/lib/api/errors.ts";
import { queryOf, UnitParams } from "@/lib/api/params.ts";
import { DEFAULT_EMBED_CHARS } from "@/lib/api/limits.ts";
import { readActivations } from "@/lib/cells/read-activations.ts";
import { standaloneHtml, standaloneSvg } from "@/lib/ui/standalone.ts";
import { cellHref } from "@/lib/ui/urls.ts";
import { EmbedQuery } from "./schema.ts";

export async function GET(req: Request, { params }: { params: Promise<{ model: string; unit: string }> }) {
  try {
    const { model, unit } = UnitParams.parse(await params);
    const q = EmbedQuery.parse(queryOf(req));
    const a = await readActivations(model, unit, { start: q.from, end: q.to ?? q.from + DEFAULT_EMBED_CHARS });
    const href = new URL(cellHref(model, unit, { at: a.start, scale: q.scale }), req.url).toString();
    const stretch = { model, unit, kind: a.kind, start: a.start, chars: Array.from(a.text), values: a.values, scale: q.scale, href };
    const svg = q.format === "svg";
    const headers: Record<string, string> = {
      "content-type": svg ? "image/svg+xml; charset=utf-8" : "text/html; charset=utf-8",
      "cache-control": "no-cache",
    };
    if (q.download) headers["content-disposition"] = `attachment; filename="${model}-${unit.replace(/:/g, "-")}-${a.start}-${a.end}.${svg ? "svg" : "html"}"`;
    return new Response(svg ? standaloneSvg(stretch) : standaloneHtml(stretch), { headers });
  } catch (err) {
    return errorResponse(err);
  }
}
