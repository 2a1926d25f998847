/**
 * Knock-out: what a unit is for. The model runs again over a stretch of the
 * recording with the unit held at a value (0, its mean over the recording, or
 * one given), and again free; each character gets the change in the loss of
 * predicting it, held minus free (nats): more loss means the unit was helping
 * there. lib/model/hold.ts does the runs.
 *
 * Both runs read the text in streams of KNOCKOUT_STREAM characters, each after
 * a warm-up of KNOCKOUT_WARMUP characters before it (the recording's own
 * warm-up), so the free run gives the recording's loss wherever its streams
 * and the recording's coincide (knock-out.test.ts), and close to it elsewhere.
 * The runs are bound by matmul arithmetic, not by steps (bench causal: streams
 * of 250 after 250 took 10% longer than 1,000 after 500), so the warm-up
 * stays the recording's.
 */
import { z } from "zod";
import { InputError } from "../api/errors.ts";
import { MAX_KNOCKOUT_CHARS } from "../api/limits.ts";
import { encode } from "../corpus/vocab.ts";
import { initBackend } from "../model/backend.ts";
import { cellByName } from "../model/cells.ts";
import * as tf from "@tensorflow/tfjs";
import { runWithHeld, type FreeRun } from "../model/hold.ts";
import type { UnitKind } from "../model/unit-kinds.ts";
import { getModelContext, recordingText, getCharModel } from "./model-context.ts";
import { openBulk, readChars } from "../store/activations.ts";
import { readUnitRow } from "../store/unit-rows.ts";
import { sharedMap } from "../store/shared-map.ts";
import { resolveUnit } from "./get-cell.ts";

/**
 * The free runs of the last stretches knocked out over (their losses and the
 * layer outputs below the top, ~30 MB for 20,000 characters of a 2×256
 * model): knocking out another unit over the same stretch, as one does
 * going down a list of units, runs only the layers from the unit's up.
 */
const freeRuns = sharedMap<string, FreeRun>("knockout-free-runs");
const FREE_RUNS = 2;

export const KNOCKOUT_STREAM = 1000;
export const KNOCKOUT_WARMUP = 500;

/** What the unit is held at: "zero", "mean" (its mean over the recording), or a number on its recorded scale. */
export const HoldValue = z.union([z.enum(["zero", "mean"]), z.coerce.number({ message: 'value must be "zero", "mean" or a number' }).min(-1, "value must be between −1 and 1").max(1, "value must be between −1 and 1")]);
export type HoldValue = z.infer<typeof HoldValue>;

export interface KnockOutOptions {
  /** The stretch's first and one-past-last offsets in the recording. */
  from: number;
  to: number;
  value: HoldValue;
}

export interface KnockOutResult {
  model: string;
  unit: string;
  /** The value the unit was held at (its recorded scale: tanh(c) for an LSTM's c units). */
  value: number;
  hold: "zero" | "mean" | "value";
  from: number;
  to: number;
  text: string;
  /** Per character of the stretch: the change in the loss of predicting it (held − free, nats); null for the recording's first character. */
  delta: (number | null)[];
  /** Mean loss per character: free, held, and as the recording stored it. */
  nats: { free: number; held: number; recorded: number };
  /** Sum of the changes (nats). */
  total: number;
  /** The characters the unit helped most (largest increase when held), and those it hurt most. */
  helped: { offset: number; char: string; delta: number }[];
  hurt: { offset: number; char: string; delta: number }[];
  tookMs: number;
}

const mean = (xs: ArrayLike<number>) => {
  let s = 0, n = 0;
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i])) (s += xs[i]), n++;
  return n ? s / n : NaN;
};

export async function knockOut(modelId: string, unit: string, o: KnockOutOptions): Promise<KnockOutResult> {
  const t0 = performance.now();
  const ctx = await getModelContext(modelId);
  const u = resolveUnit(ctx, unit);
  const cell = cellByName(ctx.model.cell);
  if (!cell.holds[u.kind as UnitKind]) throw new InputError(`a ${cell.name} cannot hold ${u.kind} units; knock out one of its ${Object.keys(cell.holds).join(" or ")} units`, "bad_unit");
  const total = ctx.rec.chars;
  if (!Number.isInteger(o.from) || o.from < 0 || o.from >= total) throw new InputError(`from must be an offset of the recording (0 to ${total - 1})`, "bad_offset");
  if (!Number.isInteger(o.to) || o.to <= o.from) throw new InputError(`to must be a whole number greater than from (${o.from})`, "bad_offset");
  if (o.to - o.from > MAX_KNOCKOUT_CHARS) throw new InputError(`the stretch ${o.from}–${o.to} is ${o.to - o.from} characters; knock out over at most ${MAX_KNOCKOUT_CHARS} at a time`, "range_too_large");
  const to = Math.min(o.to, total);
  const value = o.value === "zero" ? 0 : o.value === "mean" ? (readUnitRow(ctx.rec.id, unit)?.mean ?? 0) : o.value;

  await initBackend();
  const model = getCharModel(ctx);
  const t = await recordingText(ctx.rec.id);
  // The text the runs read: the context before the recording (for warm-ups), then the recording.
  const lead = Array.from(t.context).length;
  const ids = encode(t.context + t.text, model.meta.vocab);
  // Character p is predicted at position p − 1: run positions [from − 1, to − 1) (the first character has no prediction).
  const first = Math.max(0, o.from - 1);
  const stretchKey = `${ctx.rec.id}:${ctx.rec.createdAt}:${first}:${to}`;
  const cached = freeRuns.get(stretchKey);
  const run = runWithHeld(cell, model.params, ids, lead + first, lead + to - 1, [{ kind: u.kind as UnitKind, layer: u.layer, index: u.index, value }], { len: KNOCKOUT_STREAM, warmup: KNOCKOUT_WARMUP, free: cached, keepFree: !cached });
  if (run.freeRun) {
    freeRuns.set(stretchKey, run.freeRun);
    while (freeRuns.size > FREE_RUNS) {
      const [oldest, old] = freeRuns.entries().next().value!;
      freeRuns.delete(oldest);
      tf.dispose(old.outputs);
    }
  }
  const recorded = readChars(openBulk(), ctx.rec.id, ctx.rec.chunkChars, first, to - 1).nll;
  const chars = t.chars.slice(o.from, to);
  const delta: (number | null)[] = chars.map((_, i) => {
    const p = o.from + i - 1 - first;
    return p < 0 ? null : +(run.held[p] - run.free[p]).toFixed(5);
  });
  const ranked = delta.map((d, i) => ({ offset: o.from + i, char: chars[i], delta: d })).filter((x): x is { offset: number; char: string; delta: number } => x.delta !== null);
  const sum = ranked.reduce((a, x) => a + x.delta, 0);
  return {
    model: modelId,
    unit,
    value: +value.toFixed(6),
    hold: typeof o.value === "number" ? "value" : o.value,
    from: o.from,
    to,
    text: chars.join(""),
    delta,
    nats: { free: +mean(run.free).toFixed(5), held: +mean(run.held).toFixed(5), recorded: +mean(recorded).toFixed(5) },
    total: +sum.toFixed(4),
    helped: [...ranked].sort((a, b) => b.delta - a.delta).slice(0, 10),
    hurt: [...ranked].sort((a, b) => a.delta - b.delta).slice(0, 10),
    tookMs: Math.round(performance.now() - t0),
  };
}
