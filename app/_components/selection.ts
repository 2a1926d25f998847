/**
 * The cell page's selected character lives in the URL (?at=, so permalinks
 * keep it) but changes without a server round trip: a click writes it with
 * history.pushState (an arrow key with replaceState), which Next's router
 * picks up in useSearchParams, so the text view and the inspector, in
 * different parts of the page, both follow it and back/forward work. The
 * page's server render is not redone (that took 550–715 ms and 6 requests per
 * click).
 *
 * Next applies a URL written this way in a transition, a render or more
 * later; the offset just selected here is also kept in a small store that
 * re-renders its readers at once, for as long as the URL is the one written
 * with it.
 */
import { useSyncExternalStore } from "react";
import { useSearchParams } from "next/navigation";
import { cellHref, parseCellView } from "@/lib/ui/urls.ts";

let mine: { search: string; at: number } | null = null;
const listeners = new Set<() => void>();
const subscribe = (f: () => void) => {
  listeners.add(f);
  return () => void listeners.delete(f);
};

/** The selected offset from the URL, if it is one of the recording's `total` characters (else the page explains it). */
export function useSelectedOffset(total: number): number | undefined {
  const params = useSearchParams();
  const local = useSyncExternalStore(
    subscribe,
    () => mine,
    () => null,
  );
  const at = local && local.search === window.location.search ? local.at : parseCellView(params).view.at;
  return at !== undefined && at < total ? at : undefined;
}

/** The selected offset in the URL as it is now (for a key pressed again before the page has re-rendered). */
export function currentOffset(): number | undefined {
  return parseCellView(new URLSearchParams(window.location.search)).view.at;
}

/** Selects a character: the cell page's URL with ?at= (its scale and color kept), without a navigation. */
export function selectOffset(model: string, unit: string, at: number, { replace = false } = {}) {
  const view = parseCellView(new URLSearchParams(window.location.search)).view;
  const href = cellHref(model, unit, { ...view, at });
  if (replace) window.history.replaceState(null, "", href);
  else window.history.pushState(null, "", href);
  mine = { search: window.location.search, at };
  for (const f of listeners) f();
}
