/**
 * A search form's fields (or the page's parsed URL) as a SearchView, so every
 * link and form submission goes through searchHref, which leaves out empty and
 * default parameters (`&close=&sort=r&from=` in a URL says nothing).
 */
import type { ScaleName } from "@/lib/ui/color.ts";
import type { SearchView } from "@/lib/ui/urls.ts";

/** An offset field: empty is absent; anything else is kept (the server explains a bad one). */
function offset(v: string): number | undefined {
  return v.trim() === "" ? undefined : Number(v);
}

export function searchViewOf(get: (name: string) => string, scale: ScaleName): SearchView {
  const limit = get("limit");
  return {
    q: get("q") || undefined,
    mode: get("mode") || undefined,
    close: get("close") || undefined,
    signal: get("signal") || undefined,
    sort: get("sort") || undefined,
    limit: limit ? Number(limit) : undefined,
    from: offset(get("from")),
    to: offset(get("to")),
    scale,
  };
}
