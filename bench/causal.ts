/**
 * The causal views on the store `npm start` made (or CELLSCOPE_DB), in this
 * process:
 *
 *   knockOut  one unit of a 2×256 model held at 0 over 20,000 characters
 *             (lib/cells/knock-out.ts: a free run and a held run) over three
 *             stretches, against the free run alone in the same layout (the
 *             floor: one pass); then three other units over the last stretch,
 *             whose free run is kept (`warm`: the held layers only)
 *   effect    every unit of that model ranked by its knock-out effect on the
 *             characters a regex marks over 20,000 characters
 *             (lib/cells/rank-by-effect.ts: the first-order estimate for all,
 *             then the first 10 knocked out for real)
 *   match     select and match (lib/cells/match-cells.ts) on the longest
 *             recording: the first request (loads the recording and counts
 *             what is on at each character), then 20 random spans of 2 to 8
 *             characters, against one pass over every unit's bytes (countOn)
 *
 * Goals (P8): a 20,000-character knock-out in ≤ 2 s; a ranking by effect of
 * all 1,024 units of a 2×256 model in ≤ 60 s; a match in ≤ 1 s.
 */
import os from "node:os";
import { knockOut, KNOCKOUT_STREAM, KNOCKOUT_WARMUP } from "../lib/cells/knock-out.ts";
import { matchCells } from "../lib/cells/match-cells.ts";
import { rankByEffect } from "../lib/cells/rank-by-effect.ts";
import { createPrisma } from "../lib/db.ts";
import { initBackend } from "../lib/model/backend.ts";
import { cellByName } from "../lib/model/cells.ts";
import { runWithHeld } from "../lib/model/hold.ts";
import { getLoadedModel } from "../lib/model/model-file.ts";
import { getModelContext, recordingText } from "../lib/cells/model-context.ts";
import { encode } from "../lib/corpus/vocab.ts";
import { loadUnits } from "../lib/search/load-units.ts";
import { countOn } from "../lib/search/match-span.ts";

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const round = (x: number) => Math.round(x);

export async function benchCausal(o: { model?: string; unit?: string; rounds?: number } = {}) {
  const loadBefore = os.loadavg()[0];
  const prisma = createPrisma();
  await initBackend();
  const recs = await prisma.recording.findMany({ where: { status: "complete" }, include: { model: true } });
  if (!recs.length) throw new Error("no recorded model in the store: run npm start (or cellscope setup) first");
  const koModel = o.model ?? (recs.find((r) => r.modelId === "warpeace-2x256") ?? recs.find((r) => r.model.hidden === 256) ?? recs[0]).modelId;
  const unit = o.unit ?? "c:1:40";
  const rounds = o.rounds ?? 3;

  // Knock-out: the whole request, then the floor (the free run alone).
  const ctx = await getModelContext(koModel);
  const from = Math.min(20_000, Math.max(0, ctx.rec.chars - 20_000));
  const to = Math.min(ctx.rec.chars, from + 20_000);
  await knockOut(koModel, unit, { from, to: from + 1000, value: "zero" }); // loads the weights and text
  // Cold: the first knock-out over a stretch (free and held runs). Warm: other units over the last
  // stretch, whose free run knock-out.ts kept (the held layers only; a layer-1 and a layer-0 unit).
  const ko: number[] = [];
  const stretches = Array.from({ length: rounds }, (_, i) => Math.max(0, Math.min(ctx.rec.chars - 20_000, from + i * 20_000)));
  for (const f of stretches) ko.push((await knockOut(koModel, unit, { from: f, to: f + 20_000, value: "zero" })).tookMs);
  const last = stretches.at(-1)!;
  const warmUnits = ["c:1:22", "h:1:130", "c:0:7"];
  const koWarm: { unit: string; ms: number }[] = [];
  for (const u of warmUnits) koWarm.push({ unit: u, ms: (await knockOut(koModel, u, { from: last, to: last + 20_000, value: "zero" })).tookMs });
  const m = getLoadedModel(ctx.model.path);
  const t = await recordingText(ctx.rec.id);
  const ids = encode(t.context + t.text, m.meta.vocab);
  const lead = Array.from(t.context).length;
  const free: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    runWithHeld(cellByName(m.meta.config.cell), m.params, ids, lead + from, lead + to, [], { len: KNOCKOUT_STREAM, warmup: KNOCKOUT_WARMUP });
    free.push(performance.now() - t0);
  }

  // Effect: closing quotes (or, in a model without them, line ends), every unit ranked.
  const regex = koModel.startsWith("warpeace") ? '"[^"\\n]*"' : "\\n";
  const te = performance.now();
  const eff = await rankByEffect(koModel, { regex, mode: "end", from, to, value: "zero", exact: 10, limit: 10 });
  const effectMs = performance.now() - te;

  // Match: on the longest recording.
  const longest = [...recs].sort((a, b) => b.chars - a.chars)[0];
  const t0 = performance.now();
  const first = await matchCells(longest.modelId, { from: 1000, to: 1004, threshold: 0.5 });
  const coldMs = performance.now() - t0;
  const { series } = await loadUnits((await getModelContext(longest.modelId)).rec);
  const t1 = performance.now();
  countOn(series, 0.45, longest.chars);
  const passMs = performance.now() - t1;
  const warm: number[] = [];
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 20; i++) {
    const a = Math.floor(rand() * (longest.chars - 10));
    warm.push((await matchCells(longest.modelId, { from: a, to: a + 2 + Math.floor(rand() * 7), threshold: 0.5 })).tookMs);
  }
  await prisma.$disconnect();
  return {
    bench: "causal",
    machine: { cpus: os.cpus().length, loadAverage1mBefore: +loadBefore.toFixed(2), loadAverage1mAfter: +os.loadavg()[0].toFixed(2) },
    knockOut: { model: koModel, unit, chars: to - from, ms: ko.map(round), medianMs: round(pct(ko, 0.5)), freeRunMs: round(pct(free, 0.5)), ratio: +(pct(ko, 0.5) / pct(free, 0.5)).toFixed(2), warm: koWarm, goalMs: 2000 },
    effect: { model: koModel, regex, chars: to - from, marked: eff.marked, units: eff.ranked, exact: 10, ms: round(effectMs), first: eff.units[0], agreement: eff.agreement, goalMs: 60_000 },
    match: { model: longest.modelId, chars: longest.chars, units: series.length, firstMs: round(coldMs), firstSelected: first.selected.length, p50Ms: round(pct(warm, 0.5)), p95Ms: round(pct(warm, 0.95)), onePassMs: round(passMs), goalMs: 1000 },
  };
}
