/**
 * Select and match on a recorded model (lib/search/match-span.ts): the units
 * on throughout a span of its recording and off just before it, and the other
 * places where that set is on, each with a preview colored by the Jaccard
 * overlap at each character relative to the span's own (white 0 … blue: as
 * much as in the selection).
 */
import { z } from "zod";
import { InputError } from "../api/errors.ts";
import { MAX_MATCH_SPAN } from "../api/limits.ts";
import { getModelContext, recordingText } from "./model-context.ts";
import { loadUnits } from "../search/load-units.ts";
import { countOn, matchSpan, type OnCounts, type SelectedUnit, type SpanMatch } from "../search/match-span.ts";
import { sharedMap } from "../store/shared-map.ts";
import type { Snippet } from "./snippets.ts";

export const MatchQuery = z.object({
  from: z.coerce.number({ message: "from must be an offset" }).int("from must be a whole number").min(0, "from cannot be negative"),
  to: z.coerce.number({ message: "to must be an offset" }).int("to must be a whole number").min(1, "to must be at least 1"),
  threshold: z.coerce.number({ message: "threshold must be a number" }).gt(0, "threshold must be above 0").lt(1, "threshold must be below 1").default(0.5),
});
export type MatchQuery = z.infer<typeof MatchQuery>;

export interface CellMatch extends SpanMatch {
  preview: Snippet;
}

export interface CellMatchResult {
  model: string;
  from: number;
  to: number;
  threshold: number;
  text: string;
  selected: SelectedUnit[];
  onBefore: number;
  alwaysOn: number;
  spanJaccard: number;
  minJaccard: number;
  /** The span itself, colored by its Jaccard (1 where the whole set is on and nothing else). */
  span: Snippet;
  matches: CellMatch[];
  tookMs: number;
}

/** |O_t| per recording and threshold (a recording's bytes never change). */
const counts = sharedMap<string, OnCounts>("match-on-counts");

export async function matchCells(modelId: string, q: MatchQuery, radius = 30): Promise<CellMatchResult> {
  const t0 = performance.now();
  const { rec } = await getModelContext(modelId);
  if (q.from >= rec.chars) throw new InputError(`from must be an offset of the recording (0 to ${rec.chars - 1})`, "bad_offset");
  if (q.to <= q.from) throw new InputError(`to must be greater than from (${q.from})`, "bad_offset");
  if (q.to - q.from > MAX_MATCH_SPAN) throw new InputError(`the span ${q.from}–${q.to} is ${q.to - q.from} characters; select at most ${MAX_MATCH_SPAN}`, "range_too_large");
  const to = Math.min(q.to, rec.chars);
  const { series } = await loadUnits(rec);
  const key = `${rec.id}:${q.threshold}`;
  let on = counts.get(key);
  if (!on) {
    counts.set(key, (on = countOn(series, q.threshold, rec.chars)));
    while (counts.size > 16) counts.delete(counts.keys().next().value!);
  }
  const r = matchSpan(series, on, { start: q.from, end: to }, { threshold: q.threshold });
  const { chars } = await recordingText(rec.id);
  // Previews show J relative to the span's own (1: as much of the set on as in the selection, and no more else).
  const scale = r.spanJaccard > 0 ? 1 / r.spanJaccard : 0;
  const snippet = (a: number, b: number): Snippet => {
    const start = Math.max(0, a - radius), end = Math.min(rec.chars, b + radius);
    return { start, text: chars.slice(start, end).join(""), values: Array.from(r.jaccard.subarray(start, end), (x) => Math.round(Math.min(1, x * scale) * 1000) / 1000), mark: [a, b] };
  };
  return {
    model: modelId,
    from: q.from,
    to,
    threshold: q.threshold,
    text: chars.slice(q.from, to).join(""),
    selected: r.selected,
    onBefore: r.onBefore,
    alwaysOn: r.alwaysOn,
    spanJaccard: +r.spanJaccard.toFixed(3),
    minJaccard: +r.minJaccard.toFixed(3),
    span: snippet(q.from, to),
    matches: r.matches.map((m) => ({ ...m, meanJaccard: +m.meanJaccard.toFixed(3), maxJaccard: +m.maxJaccard.toFixed(3), preview: snippet(m.start, m.end) })),
    tookMs: Math.round(performance.now() - t0),
  };
}
