/**
 * Searching a model's units (the search page and GET /api/models/[model]/search):
 * reads the query from URL parameters, runs lib/search over the model's
 * recording, and adds a short colored preview per result around the first
 * match, so each result shows what the unit does there.
 */
import { prisma } from "../db.ts";
import { InputError, zodMessage } from "../api/errors.ts";
import { SearchQuery } from "../search/query.ts";
import { RegexError } from "../search/regex.ts";
import { searchRange, searchRecording } from "../search/search.ts";
import { fitsUnitCache, loadUnitSeries } from "../search/load-units.ts";
import { fullRecording, getModelContext } from "./model-context.ts";
import { first, type SearchParamsRecord } from "../ui/urls.ts";
import { readSnippets, type Snippet } from "./snippets.ts";
import { signalOf } from "./score-signals.ts";

/** The search form's fields as the URL spells them (strings, possibly empty). */
export interface SearchForm {
  q: string;
  mode: string;
  close: string;
  signal: string;
  sort: string;
  limit: string;
  /** The stretch to rank over (recording offsets [from, to)); empty for the whole recording. */
  from: string;
  to: string;
}

export const DEFAULT_LIMIT = 25;

/**
 * Reads a search from URL parameters: `q` (a regular expression) with `mode`
 * and `close`, or `signal`; plus `sort`, `limit`, and `from`/`to` for a
 * stretch of the recording. `query` is undefined when
 * neither q nor signal is given; `error` explains a query that is invalid.
 */
export function parseSearchParams(sp: SearchParamsRecord | URLSearchParams): { form: SearchForm; query?: SearchQuery; error?: string } {
  const get = (k: string) => first(sp, k) ?? "";
  const form: SearchForm = { q: get("q"), mode: get("mode"), close: get("close"), signal: get("signal"), sort: get("sort"), limit: get("limit"), from: get("from"), to: get("to") };
  if (form.q && form.signal) return { form, error: "give either q (a regular expression) or signal (a built-in signal), not both" };
  if (!form.q && !form.signal) return { form };
  const common = { ...(form.limit ? { limit: form.limit } : { limit: DEFAULT_LIMIT }), ...(form.sort ? { sort: form.sort } : {}), ...(form.from ? { from: form.from } : {}), ...(form.to ? { to: form.to } : {}) };
  const raw = form.signal
    ? { signal: form.signal, ...common }
    : { regex: form.q, ...(form.mode ? { mode: form.mode } : {}), ...(form.close ? { close: form.close } : {}), ...common };
  // Check the branch the parameters chose, so the message is about that branch.
  const schema = form.signal ? SearchQuery.options[0] : SearchQuery.options[1];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { form, error: zodMessage(parsed.error) };
  return { form, query: parsed.data as SearchQuery };
}

export interface CellResult {
  unit: string;
  r: number;
  auc?: number;
  /** Standard deviation of the unit's values over the characters ranked. */
  std: number;
  /** "constant: …" or "moves little: std 0.03" for a unit that barely moves (lib/search/strength.ts). */
  caution?: string;
  label: string | null;
  /** The text around the first match, colored by this unit. */
  preview: Snippet | null;
}

export interface CellSearch {
  model: string;
  query: SearchQuery;
  results: CellResult[];
  /** Regex: number of matches; on/off signal: stretches where it is on; other signals: characters where it is non-zero. */
  matches: number;
  /** Fraction of characters where the signal is non-zero. */
  coverage: number;
  /** Set when no unit can be ranked (no matches, or it matches everything). */
  problem?: string;
  /** Units constant over the characters ranked: ranked after every unit that moves. */
  constant: number;
  /** The best |r| of a unit that moves. */
  bestR: number;
  /** Set when that best |r| is too small for any unit to be said to track the query. */
  noTrack?: string;
  /** The stretch ranked over, [from, to) in recording offsets, and the recording's length. */
  range: [number, number];
  chars: number;
  /** The span the previews show ([start, end) recording offsets), if any. */
  previewSpan: [number, number] | null;
  /** The first match spans (regex queries), at most 100. */
  spans?: [number, number][];
  tookMs: number;
}

/** Where to show previews: the first match (regex), else the first stretch where the signal is on; within [from, to). */
async function firstSpan(recordingId: number, query: SearchQuery, [from, to]: [number, number], spans?: [number, number][]): Promise<[number, number] | null> {
  if (spans) return spans[0] ? [Math.max(from, spans[0][0]), Math.min(to, spans[0][1])] : null;
  if (!("signal" in query)) return null;
  const s = await signalOf(recordingId, query.signal);
  const v = s.values.subarray(0, to);
  let i = from;
  while (i < v.length && v[i] === 0) i++;
  if (i >= v.length) return null;
  let j = i + 1;
  while (j < v.length && j - i < 24 && (s.binary ? v[j] !== 0 : false)) j++;
  return [i, j];
}

export async function searchCells(modelId: string, query: SearchQuery, previewRadius = 30): Promise<CellSearch> {
  const ctx = await getModelContext(modelId);
  const rec = await fullRecording(ctx.rec);
  if ("regex" in query && query.mode === "depth" && !query.close) throw new InputError("depth mode needs a closing pattern (close), e.g. q=\\( close=\\)", "bad_query");
  const range = searchRange(query, rec.chars);
  const r = await searchRecording(rec, query);
  const labels = await prisma.unitLabel.findMany({ where: { modelId, unit: { in: r.results.map((x) => x.unit) } } });
  const labelOf = new Map(labels.map((l) => [l.unit, l.label]));
  const span = r.problem ? null : await firstSpan(rec.id, query, range, r.spans);
  // The previews' bytes from the cached matrix; a recording larger than the cache's budget (which the
  // search streamed) is not loaded for them: each result's preview reads its own bytes from the store.
  const series = span && (await fitsUnitCache(rec)) ? new Map((await loadUnitSeries(rec)).map((s) => [s.unit, s.q])) : null;
  const results: CellResult[] = [];
  for (const x of r.results) {
    let preview: Snippet | null = null;
    if (span) {
      const clipped: [number, number] = [span[0], Math.min(span[1], span[0] + 2 * previewRadius)];
      [preview] = await readSnippets(ctx.rec, x.unit, [clipped], previewRadius, series?.get(x.unit));
    }
    results.push({ unit: x.unit, r: x.r, ...(x.auc !== undefined ? { auc: x.auc } : {}), std: x.std, ...(x.caution ? { caution: x.caution } : {}), label: labelOf.get(x.unit) ?? null, preview });
  }
  return {
    model: modelId,
    query,
    results,
    matches: r.matches,
    coverage: r.coverage,
    ...(r.problem ? { problem: r.problem } : {}),
    constant: r.constant,
    bestR: r.bestR,
    ...(r.noTrack ? { noTrack: r.noTrack } : {}),
    range,
    chars: rec.chars,
    previewSpan: span,
    ...(r.spans ? { spans: r.spans.slice(0, 100) } : {}),
    tookMs: r.tookMs,
  };
}

/** Runs a search from URL parameters; invalid queries throw InputError (or RegexError, whose message is user-facing). */
export async function searchCellsFromParams(modelId: string, sp: SearchParamsRecord | URLSearchParams): Promise<CellSearch> {
  const { query, error } = parseSearchParams(sp);
  if (error) throw new InputError(error, "bad_query");
  if (!query) throw new InputError("give q (a regular expression, with mode and close) or signal (a built-in signal)", "bad_query");
  return searchCells(modelId, query);
}

export { RegexError };
