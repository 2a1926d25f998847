/** Runs a search query against a model's recording: signal → per-character series → ranking. */
import type { Recording } from "../generated/prisma/client.ts";
import { fitsUnitCache, loadUnits, matrixDots, streamUnitDots, unitDots, type UnitDots } from "./load-units.ts";
import { byteHistogram } from "../record/unit-stats.ts";
import { NotFoundError } from "../store/recordings.ts";
import { InputError } from "../api/errors.ts";
import { aucSides, rankUnits, restrictSeries, unitAuc, type UnitScore } from "./rank.ts";
import { regexSignal } from "./regex.ts";
import { regexSignalWithin } from "./regex-runner.ts";
import { computeSignal, type Signal } from "./signals.ts";
import type { SearchQuery } from "./query.ts";
import type { ProbeQuery } from "./probe-query.ts";
import { sharedMap } from "../store/shared-map.ts";
import { NO_TRACK_R } from "../api/limits.ts";
import { noUnitTracks, unitCaution } from "./strength.ts";

export interface SearchResult {
  /** Best first; units that barely move last (rank.ts), each with its caution if it moves little or not at all. */
  results: (UnitScore & { caution?: string })[];
  matches: number;
  coverage: number;
  problem?: string;
  /** Units constant over the characters ranked (std under CONSTANT_STD): ranked after every unit that moves. */
  constant: number;
  /** The best |r| of a unit that moves. */
  bestR: number;
  /** Set when no unit tracks the pattern or signal (strength.ts, noUnitTracks): says so, with the best |r|. */
  noTrack?: string;
  /** Match spans [start, end) in recording offsets (regex queries; the first 1000). */
  spans?: [number, number][];
  tookMs: number;
  /** Answered from the cache of recent searches. */
  cached?: boolean;
}

/** Per recording: its characters (with the context before it) and the built-in signals computed so far. */
const textCache = sharedMap<number, { chars: string[]; context: string[]; all: string[]; joined: string; signals: Map<string, Signal> }>("search-texts");

function recordingText(rec: Pick<Recording, "id" | "text" | "context">) {
  let c = textCache.get(rec.id);
  if (!c) {
    const chars = Array.from(rec.text), context = Array.from(rec.context);
    c = { chars, context, all: [...context, ...chars], joined: rec.context + rec.text, signals: new Map() };
    textCache.set(rec.id, c);
    if (textCache.size > 8) textCache.delete(textCache.keys().next().value!);
  }
  return c;
}

/** The query's per-character signal over a recording, computed in place (a regex without a time limit: searches use signalWithin). */
export function signalFor(rec: Pick<Recording, "id" | "text" | "context">, q: SearchQuery | ProbeQuery): Signal & { spans?: [number, number][] } {
  const t = recordingText(rec);
  if ("signal" in q) {
    let s = t.signals.get(q.signal);
    if (!s) t.signals.set(q.signal, (s = computeSignal(q.signal, t.context, t.chars)));
    return s;
  }
  const s = regexSignal(q.regex, q.mode, t.all, t.context.length, q.close, t.joined);
  return { ...s, spans: s.matches };
}

/** signalFor, with a user's regex matched in a worker under the time limit (regex-runner.ts). */
export async function signalWithin(rec: Pick<Recording, "id" | "text" | "context">, q: SearchQuery | ProbeQuery): Promise<Signal & { spans?: [number, number][] }> {
  if ("signal" in q) return signalFor(rec, q);
  const t = recordingText(rec);
  const s = await regexSignalWithin(q.regex, q.mode, t.all, t.context.length, { close: q.close, joined: t.joined });
  return { ...s, spans: s.matches };
}

/** The query's stretch [from, to) of a recording of `chars` characters; past the end is a NotFoundError, as for any offset. */
export function searchRange(q: SearchQuery, chars: number): [number, number] {
  const from = q.from ?? 0, to = q.to ?? chars;
  for (const [name, v] of [["from", from], ["to", to - 1]] as const)
    if (v >= chars) throw new NotFoundError(`${name} ${name === "to" ? to : from} is past the end of the recording (${chars} characters, offsets 0 to ${chars - 1})`);
  if (from >= to) throw new InputError(`from must be before to (from ${from}, to ${to})`, "bad_query");
  return [from, to];
}

/** Number of stretches where an on/off signal is on. */
function countRuns(y: Float32Array): number {
  let runs = 0;
  for (let i = 0; i < y.length; i++) if (y[i] !== 0 && (i === 0 || y[i - 1] === 0)) runs++;
  return runs;
}

/**
 * The last searches' results, per recording and query. A recording never
 * changes once complete (a re-recording gets a new id), so a repeated query,
 * like the famous ones linked from the home page, is answered without a pass
 * over every unit's bytes (~40 ms of CPU for 1,024 units × 160k characters).
 */
const resultCache = sharedMap<string, Omit<SearchResult, "tookMs">>("search-results");
const RESULT_CACHE_SIZE = 256;

/**
 * `cache: false` computes afresh (benchmarks measure the computation).
 * `stream: true` for a one-shot search (the CLI): units stream through a small
 * block rather than load into the cached matrix (load-units.ts, streamUnitDots).
 * A server's search streams too when the recording is larger than the cache's
 * budget (unitDots), so its memory stays bounded, by r or by AUC.
 */
export async function searchRecording(rec: Recording, q: SearchQuery, opts: { cache?: boolean; stream?: boolean } = {}): Promise<SearchResult> {
  const t0 = performance.now();
  const useCache = opts.cache !== false && rec.status === "complete";
  // The creation time tells apart recordings of two stores that share an id (tests open several).
  const key = JSON.stringify([rec.id, rec.createdAt, q]);
  const hit = useCache ? resultCache.get(key) : undefined;
  if (hit) {
    resultCache.delete(key);
    resultCache.set(key, hit); // most recently used last
    return { ...hit, tookMs: +(performance.now() - t0).toFixed(1), cached: true };
  }
  const [from, to] = searchRange(q, rec.chars);
  const whole = from === 0 && to === rec.chars;
  const full = await signalWithin(rec, q);
  // A stretch: the signal as computed over the whole text, cut to the stretch; the
  // kernel's Σ q·y over the stretch is its Σ over all characters with y zero outside.
  const values = whole ? full.values : full.values.subarray(from, to);
  const signal = { ...full, values, ...(full.spans ? { spans: whole ? full.spans : full.spans.filter(([a, b]) => a < to && b > from) } : {}) };
  let yForDots = full.values;
  if (!whole) (yForDots = new Float32Array(rec.chars)).set(values, from);
  const stretch: [number, number] | undefined = whole ? undefined : [from, to];
  // Ranking by AUC reads every unit's bytes: from the cached matrix where the recording is (or
  // fits) there, else as they stream by, each unit's AUC over the stretch counted then.
  // (AUC is only for an on/off signal: by AUC, another is ranked by r.)
  const byAuc = q.sort === "auc" && signal.binary;
  const streamedAucs: number[] = [];
  let units: UnitDots;
  if (byAuc && (opts.stream || !(await fitsUnitCache(rec)))) {
    const sides = aucSides(values);
    const h = new Uint32Array(256);
    units = await streamUnitDots(rec, yForDots, stretch, (k, q) => {
      const part = whole ? q : q.subarray(from, to);
      streamedAucs[k] = unitAuc(part, byteHistogram(part), sides, h);
    });
  } else if (byAuc) units = matrixDots(await loadUnits(rec), yForDots, stretch);
  else units = opts.stream ? await streamUnitDots(rec, yForDots, stretch) : await unitDots(rec, yForDots, stretch);
  const ranking = rankUnits(whole ? units.series : restrictSeries(units.series, from, to, units.sums), signal, { sort: q.sort, limit: q.limit, dots: units.dots, aucs: streamedAucs.length ? streamedAucs : undefined });
  const results = ranking.results.slice(0, q.limit).map((x) => {
    const caution = unitCaution(x);
    return caution ? { ...x, caution } : x;
  });
  const what = "signal" in q ? "this signal" : "this pattern";
  const result = {
    results,
    matches: "signal" in q ? (signal.binary ? countRuns(signal.values) : ranking.matches) : signal.spans!.length,
    coverage: ranking.coverage,
    ...(ranking.problem ? { problem: whole ? ranking.problem : ranking.problem.replace("in this recording", "in this stretch").replace("over this recording", "over this stretch") } : {}),
    constant: ranking.constant,
    bestR: ranking.bestR,
    ...(!ranking.problem && noUnitTracks(ranking.bestR)
      ? { noTrack: `no unit tracks ${what}: the best |r| is ${ranking.bestR.toFixed(3)} (under ${NO_TRACK_R})` }
      : {}),
    ...(signal.spans ? { spans: signal.spans.slice(0, 1000) } : {}),
  };
  if (useCache) {
    resultCache.set(key, result);
    if (resultCache.size > RESULT_CACHE_SIZE) resultCache.delete(resultCache.keys().next().value!);
  }
  return { ...result, tookMs: +(performance.now() - t0).toFixed(1), cached: false };
}
