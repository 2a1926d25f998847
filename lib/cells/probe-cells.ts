/**
 * Probing a model's units (GET /api/models/[model]/probe, `cellscope probe`,
 * the search page's "How many cells does it take"): the signal of a query
 * over the model's recording, read out linearly from the best k units and
 * from each layer and kind (lib/search/probe-units.ts).
 */
import { InputError, zodMessage } from "../api/errors.ts";
import { fullRecording, getModelContext } from "./model-context.ts";
import { ProbeQuery } from "../search/probe-query.ts";
import { probeUnits, type ProbeCurve } from "../search/probe-units.ts";
import { signalWithin } from "../search/search.ts";
import { unitDots } from "../search/load-units.ts";
import { sharedMap } from "../store/shared-map.ts";
import { first, type SearchParamsRecord } from "../ui/urls.ts";

export interface CellProbe extends ProbeCurve {
  model: string;
  query: ProbeQuery;
  /** Characters in the recording probed. */
  chars: number;
  tookMs: number;
  /** Answered from the cache of recent probes. */
  cached?: boolean;
}

/**
 * Recent probes per recording and query: a probe fits dozens of read-outs
 * (seconds on a 2×256 model), and a recording never changes once complete.
 */
const cache = sharedMap<string, Omit<CellProbe, "tookMs">>("probes");
const CACHE_SIZE = 64;

export async function probeCells(modelId: string, query: ProbeQuery, onStep?: (done: number, total: number) => void): Promise<CellProbe> {
  const t0 = performance.now();
  const ctx = await getModelContext(modelId);
  if ("regex" in query && query.mode === "depth" && !query.close) throw new InputError("depth mode needs a closing pattern (close), e.g. q=\\( close=\\)", "bad_query");
  const key = JSON.stringify([ctx.rec.id, ctx.rec.createdAt, query]);
  const hit = cache.get(key);
  if (hit) return { ...hit, tookMs: +(performance.now() - t0).toFixed(1), cached: true };
  const rec = await fullRecording(ctx.rec);
  const signal = await signalWithin(rec, query);
  // unitDots: a recording over the server's budget streams, and the fits read only their units' bytes.
  const result = { model: modelId, query, chars: rec.chars, ...(await probeUnits((y, stretch) => unitDots(rec, y, stretch), signal, onStep)) };
  cache.set(key, result);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return { ...result, tookMs: +(performance.now() - t0).toFixed(1), cached: false };
}

/** The probe query from URL parameters, as the search page spells it: `q` (with `mode`, `close`) or `signal`. */
export function parseProbeParams(sp: SearchParamsRecord | URLSearchParams): ProbeQuery {
  const get = (k: string) => first(sp, k) || undefined;
  const q = get("q"), signal = get("signal");
  if (q && signal) throw new InputError("give either q (a regular expression) or signal (a built-in signal), not both", "bad_query");
  if (!q && !signal) throw new InputError("give q (a regular expression, with mode and close) or signal (a built-in signal)", "bad_query");
  // Check the branch the parameters chose, so the message is about that branch.
  const parsed = signal ? ProbeQuery.options[0].safeParse({ signal }) : ProbeQuery.options[1].safeParse({ regex: q, mode: get("mode"), close: get("close") });
  if (!parsed.success) throw new InputError(zodMessage(parsed.error), "bad_query");
  return parsed.data as ProbeQuery;
}

export async function probeCellsFromParams(modelId: string, sp: SearchParamsRecord | URLSearchParams): Promise<CellProbe> {
  return probeCells(modelId, parseProbeParams(sp));
}
