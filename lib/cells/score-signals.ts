/**
 * How well one unit tracks each built-in signal: Pearson r (and ROC AUC for
 * on/off signals) of the unit's values against the signal over the whole
 * recording, the numbers a full search gives this unit. Set-up stores them
 * for every unit (lib/setup/score-recording.ts), so this is one indexed read;
 * a recording set-up has not scored (recorded with `cellscope record`, or a
 * signal added since) is scored here, one unit at a time, and cached.
 */
import { prisma } from "../db.ts";
import { byteHistogram } from "../record/unit-stats.ts";
import { rankUnits } from "../search/rank.ts";
import { computeSignal, SIGNALS, type Signal, type SignalInfo } from "../search/signals.ts";
import { openBulk, readUnitRange } from "../store/activations.ts";
import { readSignalScoreRows, readUnitRow } from "../store/unit-rows.ts";
import { getModelContext, recordingText, type ModelContext } from "./model-context.ts";
import { resolveUnit } from "./get-cell.ts";
import { sharedMap } from "../store/shared-map.ts";

export interface SignalScore {
  signal: string;
  description: string;
  binary: boolean;
  /** The corpus kind the signal was made for. */
  for: string;
  r: number | null;
  auc: number | null;
  /** Why there is no score (the signal is constant over this recording). */
  problem?: string;
}

const signals = sharedMap<number, Map<string, Signal>>("signals");

export async function signalOf(recordingId: number, name: string): Promise<Signal> {
  let m = signals.get(recordingId);
  if (!m) {
    signals.set(recordingId, (m = new Map()));
    while (signals.size > 8) signals.delete(signals.keys().next().value!);
  }
  let s = m.get(name);
  if (!s) {
    const t = await recordingText(recordingId);
    s = computeSignal(name, Array.from(t.context), t.chars);
    m.set(name, s);
  }
  return s;
}

/** Scores computed here (for recordings set-up has not scored), per recording and unit. */
const scored = new Map<string, Promise<SignalScore[]>>();

/** The unit's scores against every built-in signal, strongest |r| first (signals that never vary last). */
export async function scoreSignals(modelId: string, unit: string): Promise<SignalScore[]> {
  const ctx = await getModelContext(modelId);
  resolveUnit(ctx, unit);
  const rows = readSignalScoreRows(ctx.rec.id, unit);
  const stored = new Map(rows.map((r) => [r.signal, r]));
  if (SIGNALS.every((s) => stored.has(s.name))) {
    return sortScores(
      SIGNALS.map((info) => {
        const row = stored.get(info.name)!;
        return { ...describe(info), r: row.r, auc: row.auc, ...(row.problem ? { problem: row.problem } : {}) };
      }),
    );
  }
  const key = `${ctx.rec.id}\0${unit}`;
  let p = scored.get(key);
  if (!p) {
    p = computeScores(ctx, unit);
    scored.set(key, p);
    p.catch(() => scored.delete(key));
    while (scored.size > 1024) scored.delete(scored.keys().next().value!);
  }
  return p;
}

async function computeScores(ctx: ModelContext, unit: string): Promise<SignalScore[]> {
  const q = readUnitRange(openBulk(), ctx.rec.id, unit, ctx.rec.chunkChars, 0, ctx.rec.chars);
  // The sums stored at recording time, as search uses them (so the scores agree with a search).
  const row = readUnitRow(ctx.rec.id, unit);
  let sumQ = row?.sumQ ?? 0, sumQ2 = row?.sumQ2 ?? 0;
  if (!row) for (let i = 0; i < q.length; i++) (sumQ += q[i]), (sumQ2 += q[i] * q[i]);
  const series = [{ unit, q, hist: byteHistogram(q), sumQ, sumQ2 }];
  const out: SignalScore[] = [];
  for (const info of SIGNALS) {
    const ranking = rankUnits(series, await signalOf(ctx.rec.id, info.name));
    const best = ranking.results[0];
    out.push({
      ...describe(info),
      r: best ? best.r : null,
      auc: best?.auc ?? null,
      ...(ranking.problem ? { problem: ranking.problem } : {}),
    });
  }
  return sortScores(out);
}

function describe(info: SignalInfo) {
  return { signal: info.name, description: info.description, binary: info.binary, for: info.for };
}

/** Strongest |r| first; signals that never vary last. */
function sortScores(xs: SignalScore[]): SignalScore[] {
  return xs.sort((a, b) => (b.r === null ? -1 : 0) - (a.r === null ? -1 : 0) || Math.abs(b.r ?? 0) - Math.abs(a.r ?? 0));
}
