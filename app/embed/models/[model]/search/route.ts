/**
 * GET /embed/models/[model]/search?q=REGEX[&mode=&close=] or ?signal=NAME [&limit=10][&scale=cb]
 * A search's ranking (at most 20 units) as a page that stands on its own and
 * any site may frame (next.config.js): each unit with r, AUC and a preview
 * colored by it (lib/ui/standalone.ts). Errors have the API's one shape.
 */
import { errorResponse } from "@/lib/api/errors.ts";
import { ModelParams, searchParamsOf } from "@/lib/api/params.ts";
import { MAX_EMBED_RESULTS } from "@/lib/api/limits.ts";
import { searchCellsFromParams } from "@/lib/cells/search-cells.ts";
import { standaloneSearchHtml } from "@/lib/ui/standalone.ts";
import { parseScale, searchHref } from "@/lib/ui/urls.ts";

export async function GET(req: Request, { params }: { params: Promise<{ model: string }> }) {
  try {
    const { model } = ModelParams.parse(await params);
    const sp = new URLSearchParams(searchParamsOf(req));
    const limit = Math.min(MAX_EMBED_RESULTS, Number(sp.get("limit")) || 10);
    sp.set("limit", String(limit));
    const r = await searchCellsFromParams(model, sp);
    const scale = parseScale(sp);
    const what = "signal" in r.query ? r.query.signal : r.query.regex;
    const href = new URL(searchHref(model, { q: sp.get("q") ?? undefined, signal: sp.get("signal") ?? undefined, mode: sp.get("mode") ?? undefined, close: sp.get("close") ?? undefined, scale }), req.url).toString();
    const results = r.results.map((x) => ({ ...x, kind: x.unit.split(":")[0] }));
    return new Response(standaloneSearchHtml({ model, what, results, scale, href }), { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" } });
  } catch (err) {
    return errorResponse(err);
  }
}
