/** Runs a search query against a model's recording: signal → per-character series → ranking. */
import type { PrismaClient, Recording } from "../generated/prisma/client.ts";
import { loadUnitSeries } from "../store/recordings.ts";
import { rankUnits, type UnitScore } from "./rank.ts";
import { regexSignal } from "./regex.ts";
import { computeSignal, type Signal } from "./signals.ts";
import type { SearchQuery } from "./query.ts";

export interface SearchResult {
  results: UnitScore[];
  matches: number;
  coverage: number;
  problem?: string;
  /** Match spans [start, end) in recording offsets (regex queries; the first 1000). */
  spans?: [number, number][];
  tookMs: number;
}

const textCache = new Map<number, { chars: string[]; context: string[] }>();

function recordingChars(rec: Pick<Recording, "id" | "text" | "context">) {
  let c = textCache.get(rec.id);
  if (!c) {
    c = { chars: Array.from(rec.text), context: Array.from(rec.context) };
    textCache.set(rec.id, c);
    if (textCache.size > 8) textCache.delete(textCache.keys().next().value!);
  }
  return c;
}

/** The query's per-character signal over a recording. */
export function signalFor(rec: Pick<Recording, "id" | "text" | "context">, q: SearchQuery): Signal & { spans?: [number, number][] } {
  const { chars, context } = recordingChars(rec);
  if ("signal" in q) return computeSignal(q.signal, context, chars);
  const all = [...context, ...chars];
  const s = regexSignal(q.regex, q.mode, all, context.length, q.close);
  return { ...s, spans: s.matches };
}

/** Number of stretches where an on/off signal is on. */
function countRuns(y: Float32Array): number {
  let runs = 0;
  for (let i = 0; i < y.length; i++) if (y[i] !== 0 && (i === 0 || y[i - 1] === 0)) runs++;
  return runs;
}

export async function searchRecording(prisma: PrismaClient, rec: Recording, q: SearchQuery): Promise<SearchResult> {
  const t0 = performance.now();
  const series = await loadUnitSeries(prisma, rec);
  const signal = signalFor(rec, q);
  const ranking = rankUnits(series, signal, { sort: q.sort });
  return {
    results: ranking.results.slice(0, q.limit),
    matches: "signal" in q ? (signal.binary ? countRuns(signal.values) : ranking.matches) : signal.spans!.length,
    coverage: ranking.coverage,
    ...(ranking.problem ? { problem: ranking.problem } : {}),
    ...(signal.spans ? { spans: signal.spans.slice(0, 1000) } : {}),
    tookMs: +(performance.now() - t0).toFixed(1),
  };
}
