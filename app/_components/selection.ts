/**
 * The cell page's selected character lives in the URL (?at=, so permalinks
 * keep it) but changes without a server round trip: a click writes it with
 * history.pushState (an arrow key with replaceState), which Next's router
 * picks up in useSearchParams, so the text view and the inspector, in
 * different parts of the page, both follow it at once and back/forward work.
 * The page's server render is not redone (that took 550–715 ms and 6 requests
 * per click).
 */
import { useSearchParams } from "next/navigation";
import { cellHref, parseCellView } from "@/lib/ui/urls.ts";

/** The selected offset from the URL, if it is one of the recording's `total` characters (else the page explains it). */
export function useSelectedOffset(total: number): number | undefined {
  const at = parseCellView(useSearchParams()).view.at;
  return at !== undefined && at < total ? at : undefined;
}

/** Selects a character: the cell page's URL with ?at= (its scale and color kept), without a navigation. */
export function selectOffset(model: string, unit: string, at: number, { replace = false } = {}) {
  const view = parseCellView(new URLSearchParams(window.location.search)).view;
  const href = cellHref(model, unit, { ...view, at });
  if (replace) window.history.replaceState(null, "", href);
  else window.history.pushState(null, "", href);
}
