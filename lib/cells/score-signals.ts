/**
 * How well one unit tracks each built-in signal: Pearson r (and ROC AUC for
 * on/off signals) of the unit's values against the signal over the whole
 * recording. The same numbers a full search would give this unit, for a
 * fraction of the work (one unit instead of all); the signals themselves are
 * cached per recording.
 */
import { prisma } from "../db.ts";
import { byteHistogram } from "../record/unit-stats.ts";
import { rankUnits } from "../search/rank.ts";
import { computeSignal, SIGNALS, type Signal } from "../search/signals.ts";
import { openBulk, readUnitRange } from "../store/activations.ts";
import { loadModel, recordingText, type ModelContext } from "../models/load-model.ts";
import { resolveUnit } from "./get-cell.ts";

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

const signals = new Map<number, Map<string, Signal>>();

export async function signalOf(recordingId: number, name: string): Promise<Signal> {
  let m = signals.get(recordingId);
  if (!m) {
    signals.set(recordingId, (m = new Map()));
    while (signals.size > 2) signals.delete(signals.keys().next().value!);
  }
  let s = m.get(name);
  if (!s) {
    const t = await recordingText(recordingId);
    s = computeSignal(name, Array.from(t.context), t.chars);
    m.set(name, s);
  }
  return s;
}

const scored = new Map<string, Promise<SignalScore[]>>();

/** The unit's scores against every built-in signal, strongest |r| first (signals that never vary last); cached per recording and unit. */
export async function scoreSignals(modelId: string, unit: string): Promise<SignalScore[]> {
  const ctx = await loadModel(modelId);
  resolveUnit(ctx, unit);
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
  const row = await prisma.unit.findUnique({ where: { recordingId_unit: { recordingId: ctx.rec.id, unit } }, select: { sumQ: true, sumQ2: true } });
  let sumQ = row?.sumQ ?? 0, sumQ2 = row?.sumQ2 ?? 0;
  if (!row) for (let i = 0; i < q.length; i++) (sumQ += q[i]), (sumQ2 += q[i] * q[i]);
  const series = [{ unit, q, hist: byteHistogram(q), sumQ, sumQ2 }];
  const out: SignalScore[] = [];
  for (const info of SIGNALS) {
    const ranking = rankUnits(series, await signalOf(ctx.rec.id, info.name));
    const best = ranking.results[0];
    out.push({
      signal: info.name,
      description: info.description,
      binary: info.binary,
      for: info.for,
      r: best ? best.r : null,
      auc: best?.auc ?? null,
      ...(ranking.problem ? { problem: ranking.problem } : {}),
    });
  }
  return out.sort((a, b) => (b.r === null ? -1 : 0) - (a.r === null ? -1 : 0) || Math.abs(b.r ?? 0) - Math.abs(a.r ?? 0));
}
