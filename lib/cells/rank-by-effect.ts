/**
 * Ranking units by what they do, not what they go with (GET
 * /api/models/[model]/effect, `cellscope effect`, the search page's "By
 * effect"): for the characters a query marks (a regex with its mode, or an
 * on/off signal) in a stretch of the recording, how much more loss the model
 * has on them when each unit is knocked out. lib/model/effects.ts estimates it
 * for every unit at once, then knocks the first `exact` units out for real.
 */
import { z } from "zod";
import { prisma } from "../db.ts";
import { InputError, zodMessage } from "../api/errors.ts";
import { MAX_EFFECT_CHARS, MAX_EFFECT_EXACT, MAX_SEARCH_RESULTS } from "../api/limits.ts";
import { encode } from "../corpus/vocab.ts";
import { initBackend } from "../model/backend.ts";
import { cellByName } from "../model/cells.ts";
import { estimateEffects, knockOutEach, type HeldKind } from "../model/effects.ts";
import type { UnitKind } from "../model/unit-kinds.ts";
import { getModelContext, recordingText, type ModelContext, getCharModel } from "./model-context.ts";
import { RegexFields, SignalFields } from "../search/query.ts";
import { signalWithin } from "../search/search.ts";
import { formatUnitId } from "../store/quantize.ts";
import { sharedMap } from "../store/shared-map.ts";
import { KNOCKOUT_STREAM, KNOCKOUT_WARMUP } from "./knock-out.ts";

const count = (name: string, min: number, max: number) =>
  z.coerce.number({ message: `${name} must be a number` }).int(`${name} must be a whole number`).min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`);
const Stretch = {
  from: count("from", 0, Number.MAX_SAFE_INTEGER).default(0),
  to: count("to", 1, Number.MAX_SAFE_INTEGER).optional(),
  /** What each unit is held at: 0, or its mean over the recording. */
  value: z.enum(["zero", "mean"], { message: 'value must be "zero" or "mean"' }).default("zero"),
  /** How many of the units the estimate ranks first are knocked out for real. */
  exact: count("exact", 0, MAX_EFFECT_EXACT).default(10),
  limit: count("limit", 1, MAX_SEARCH_RESULTS).default(50),
};

/** What the CLI, the API and the search page ask: the characters (a regex with its mode, or an on/off signal), the stretch, the hold. */
export const EffectQuery = z.union([z.object({ ...SignalFields, ...Stretch }), z.object({ ...RegexFields, ...Stretch })]);
export type EffectQuery = z.infer<typeof EffectQuery>;

export interface UnitEffect {
  unit: string;
  /** First-order estimate of the change in loss per marked character when the unit is knocked out (nats; positive: it helps). */
  estimate: number;
  /** The same measured by knocking it out (for the units ranked first), else null. */
  exact: number | null;
}

export interface EffectRanking {
  model: string;
  query: EffectQuery;
  from: number;
  to: number;
  /** Marked characters in the stretch (those the losses are of). */
  marked: number;
  /** Mean loss on them, nothing held (nats/char). */
  freeNats: number | null;
  /** Units ranked: those knocked out for real first (by exact effect), then the rest by estimate. */
  units: UnitEffect[];
  /** Units ranked in all (every layer and kind the cell can hold). */
  ranked: number;
  /** Between estimate and exact over the units knocked out: how far the estimate can be trusted. */
  agreement: { pearson: number | null; sameTop: boolean } | null;
  tookMs: number;
  cached?: boolean;
}

export type EffectProgress = (done: number, total: number, phase: "estimate" | "exact") => void;

const cache = sharedMap<string, Omit<EffectRanking, "tookMs">>("effects");
const CACHE_SIZE = 32;

function pearson(a: number[], b: number[]): number | null {
  const n = a.length;
  if (n < 3) return null;
  const ma = a.reduce((x, y) => x + y, 0) / n, mb = b.reduce((x, y) => x + y, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) (sab += (a[i] - ma) * (b[i] - mb)), (saa += (a[i] - ma) ** 2), (sbb += (b[i] - mb) ** 2);
  return saa > 0 && sbb > 0 ? +(sab / Math.sqrt(saa * sbb)).toFixed(3) : null;
}

/** Rankings running now, per key: a second request for the same one (a reload, a shared link) waits on the first. */
const running = new Map<string, Promise<Omit<EffectRanking, "tookMs">>>();

export async function rankByEffect(modelId: string, query: EffectQuery, onProgress?: EffectProgress): Promise<EffectRanking> {
  const t0 = performance.now();
  const ctx = await getModelContext(modelId);
  const total = ctx.rec.chars;
  const from = query.from;
  if (from >= total) throw new InputError(`from must be an offset of the recording (0 to ${total - 1})`, "bad_offset");
  const to = Math.min(total, query.to ?? from + MAX_EFFECT_CHARS);
  if (to <= from) throw new InputError(`to must be greater than from (${from})`, "bad_offset");
  if (to - from > MAX_EFFECT_CHARS) throw new InputError(`the stretch ${from}–${to} is ${to - from} characters; rank by effect over at most ${MAX_EFFECT_CHARS} at a time`, "range_too_large");
  if ("regex" in query && query.mode === "depth") throw new InputError("ranking by effect needs characters marked on or off: use mode inside, start, end or after", "bad_query");
  const key = JSON.stringify([ctx.rec.id, ctx.rec.createdAt, query]);
  const hit = cache.get(key);
  if (hit) return { ...hit, tookMs: Math.round(performance.now() - t0), cached: true };
  let run = running.get(key);
  if (!run) {
    run = rank(ctx, modelId, query, onProgress).finally(() => running.delete(key));
    running.set(key, run);
  }
  const result = await run;
  cache.set(key, result);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return { ...result, tookMs: Math.round(performance.now() - t0), cached: false };
}

async function rank(ctx: ModelContext, modelId: string, query: EffectQuery, onProgress?: EffectProgress): Promise<Omit<EffectRanking, "tookMs">> {
  const { from } = query;
  const to = Math.min(ctx.rec.chars, query.to ?? from + MAX_EFFECT_CHARS);
  const t = await recordingText(ctx.rec.id);
  const signal = await signalWithin({ id: ctx.rec.id, text: t.text, context: t.context }, query as never);
  if (!signal.binary) throw new InputError(`${"signal" in query ? query.signal : "this query"} is not an on/off signal: ranking by effect needs characters marked on or off`, "bad_query");
  // Character p is predicted at position p − 1: positions [from − 1, to − 1), weight 1 where the next character is marked.
  const first = Math.max(0, from - 1);
  const weights = new Float32Array(to - 1 - first);
  let marked = 0;
  for (let p = first; p < to - 1; p++) if (p + 1 >= from && signal.values[p + 1] > 0) (weights[p - first] = 1), marked++;
  if (!marked) throw new InputError(`the query marks no character in ${from}–${to}; try another stretch or pattern`, "no_matches");

  await initBackend();
  const cell = cellByName(ctx.model.cell);
  const model = getCharModel(ctx);
  const L = model.params.layers.length;
  const H = model.params.layers[0].Wh.shape[0];
  const lead = Array.from(t.context).length;
  const ids = encode(t.context + t.text, model.meta.vocab);
  const kinds = (Object.keys(cell.holds) as UnitKind[]).flatMap((kind) => Array.from({ length: L }, (_, layer) => ({ kind, layer })));
  const means = query.value === "mean" ? await unitMeans(ctx.rec.id) : null;
  const held: HeldKind[] = kinds.map(({ kind, layer }) => ({
    kind,
    layer,
    value: Float32Array.from({ length: H }, (_, index) => cell.holds[kind]!(means?.get(formatUnitId({ kind, layer, index })) ?? 0)),
  }));
  const layout = { len: KNOCKOUT_STREAM, warmup: KNOCKOUT_WARMUP };
  // Progress over both passes: the estimate's chunks, then the exact run's (as many).
  const phases = query.exact > 0 ? 2 : 1;
  const stretch = [lead + first, lead + to - 1] as const;
  const est = await estimateEffects(cell, model.params, ids, ...stretch, weights, held, { ...layout, onProgress: (d, n) => onProgress?.(d, n * phases, "estimate") });
  const all: UnitEffect[] = held.flatMap((k, i) => Array.from(est[i], (e, index) => ({ unit: formatUnitId({ kind: k.kind, layer: k.layer, index }), estimate: +(e / marked).toFixed(6), exact: null as number | null })));
  all.sort((a, b) => b.estimate - a.estimate);

  // The units to knock out for real: the first by estimate, one of each pair that knocks out the same thing (its twin gets the same measure).
  const twinOf = (unit: string): string | null => {
    const [kind, layer, index] = unit.split(":");
    const value = means?.get(unit) ?? 0;
    for (const [a, b] of cell.sameHold?.(value) ?? []) {
      const other = kind === a ? b : kind === b ? a : null;
      if (other && (means?.get(`${other}:${layer}:${index}`) ?? 0) === value) return `${other}:${layer}:${index}`;
    }
    return null;
  };
  const top: UnitEffect[] = [];
  const twins = new Map<string, string>();
  for (const u of all) {
    if (top.length >= query.exact) break;
    if (twins.has(u.unit)) continue;
    const t = twinOf(u.unit);
    if (t) twins.set(t, u.unit);
    top.push(u);
  }
  let freeNats: number | null = null;
  if (top.length) {
    const units = top.map((u) => {
      const [kind, layer, index] = u.unit.split(":");
      return { kind: kind as UnitKind, layer: Number(layer), index: Number(index), value: means?.get(u.unit) ?? 0 };
    });
    const run = await knockOutEach(cell, model.params, ids, ...stretch, units, { ...layout, onProgress: (d, n) => onProgress?.(n + d, 2 * n, "exact") });
    let free = 0;
    for (let i = 0; i < weights.length; i++) if (weights[i]) free += run.free[i];
    freeNats = +(free / marked).toFixed(5);
    top.forEach((u, g) => {
      let d = 0;
      for (let i = 0; i < weights.length; i++) if (weights[i]) d += run.held[g][i] - run.free[i];
      u.exact = +(d / marked).toFixed(6);
    });
    for (const [twin, of] of twins) {
      const u = all.find((x) => x.unit === twin)!;
      u.exact = top.find((x) => x.unit === of)!.exact;
      top.push(u);
    }
    top.sort((a, b) => b.exact! - a.exact!);
  }
  const byEstimate = [...top].sort((a, b) => b.estimate - a.estimate);
  return {
    model: modelId,
    query,
    from,
    to,
    marked,
    freeNats,
    units: [...top, ...all.filter((u) => u.exact === null)].slice(0, Math.max(query.limit, top.length)),
    ranked: all.length,
    agreement: top.length ? { pearson: pearson(top.map((u) => u.estimate), top.map((u) => u.exact!)), sameTop: byEstimate[0].unit === top[0].unit } : null,
  };
}

async function unitMeans(recordingId: number): Promise<Map<string, number>> {
  const rows = await prisma.unit.findMany({ where: { recordingId }, select: { unit: true, mean: true } });
  return new Map(rows.map((r) => [r.unit, r.mean]));
}

/** The effect query from URL parameters, spelled as the search page spells a search: `q` (with `mode`, `close`) or `signal`, and from, to, value, exact, limit. */
export function parseEffectParams(sp: URLSearchParams): EffectQuery {
  const get = (k: string) => sp.get(k) || undefined;
  const q = get("q"), signal = get("signal");
  if (q && signal) throw new InputError("give either q (a regular expression) or signal (a built-in signal), not both", "bad_query");
  if (!q && !signal) throw new InputError("give q (a regular expression, with mode) or signal (an on/off built-in signal)", "bad_query");
  const rest = { from: get("from"), to: get("to"), value: get("value"), exact: get("exact"), limit: get("limit") };
  const parsed = signal ? EffectQuery.options[0].safeParse({ signal, ...rest }) : EffectQuery.options[1].safeParse({ regex: q, mode: get("mode"), close: get("close"), ...rest });
  if (!parsed.success) throw new InputError(zodMessage(parsed.error), "bad_query");
  return parsed.data as EffectQuery;
}
