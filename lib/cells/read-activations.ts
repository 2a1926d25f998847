/**
 * A range of one unit's values with the text (the cell page's text view and
 * GET …/units/[unit]/activations). Reads only the chunks the range touches.
 */
import { InputError } from "../api/errors.ts";
import { DEFAULT_RANGE_CHARS, MAX_RANGE_CHARS } from "../api/limits.ts";
import { NotFoundError } from "../store/recordings.ts";
import { openBulk, readChars, readUnitRange } from "../store/activations.ts";
import { getModelContext, textSlice, type ModelContext } from "./model-context.ts";
import { resolveUnit } from "./get-cell.ts";
import { round3, toValues } from "./snippets.ts";

/** The most characters one request may ask for, and how many it gets without `end` (lib/api/limits.ts). */
export const MAX_RANGE = MAX_RANGE_CHARS;
export const DEFAULT_RANGE = DEFAULT_RANGE_CHARS;

export interface Activations {
  model: string;
  unit: string;
  kind: string;
  start: number;
  end: number;
  /** Characters in the whole recording. */
  total: number;
  /** The text of [start, end): its i-th code point (`Array.from(text)[i]`) is at offset start + i. */
  text: string;
  /** The unit's value at each character. */
  values: number[];
  /** With `packed`: the stored bytes as base64 (packBytes), for a page to hand to the browser instead of `values` (then empty). */
  packed?: string;
  /**
   * With `surprise`: the model's loss (nats) on each character when it was
   * predicted, i.e. at offset o the loss recorded at o − 1 (null where unknown:
   * the first character of the recording).
   */
  surprise?: (number | null)[];
}

/** Checks [start, end) against a recording of `total` characters; `end` defaults to start + DEFAULT_RANGE and is clipped to the end. */
export function checkRange(start: number, end: number | undefined, total: number, max = MAX_RANGE): { start: number; end: number } {
  if (!Number.isInteger(start) || start < 0) throw new InputError("start must be a whole number ≥ 0", "bad_offset");
  if (start >= total) throw new NotFoundError(`offset ${start} is past the end of the recording (${total} characters, offsets 0 to ${total - 1})`);
  const e = end ?? start + DEFAULT_RANGE;
  if (!Number.isInteger(e) || e <= start) throw new InputError(`end must be a whole number greater than start (${start})`, "bad_offset");
  if (e - start > max) throw new InputError(`the range ${start}–${e} is ${e - start} characters; ask for at most ${max} at a time`, "range_too_large");
  return { start, end: Math.min(e, total) };
}

/** Stored bytes as base64: how a page hands thousands of values to the browser (1⅓ characters a value instead of about 6; unpackValues in lib/store/quantize.ts reads them). */
export const packBytes = (q: Uint8Array): string => Buffer.from(q.buffer, q.byteOffset, q.byteLength).toString("base64");

/** Per-character surprise for [start, end): loss recorded at the previous offset. */
export function readSurprise(ctx: ModelContext, start: number, end: number): (number | null)[] {
  const from = Math.max(0, start - 1);
  const { nll } = readChars(openBulk(), ctx.rec.id, ctx.rec.chunkChars, from, end);
  const out: (number | null)[] = [];
  for (let o = start; o < end; o++) {
    const v = o === 0 ? NaN : nll[o - 1 - from];
    out.push(Number.isFinite(v) ? round3(v) : null);
  }
  return out;
}

export async function readActivations(
  modelId: string,
  unit: string,
  range: { start: number; end?: number },
  opts: { surprise?: boolean; packed?: boolean } = {},
): Promise<Activations> {
  const ctx = await getModelContext(modelId);
  const u = resolveUnit(ctx, unit);
  const { start, end } = checkRange(range.start, range.end, ctx.rec.chars);
  const q = readUnitRange(openBulk(), ctx.rec.id, unit, ctx.rec.chunkChars, start, end);
  const chars = await textSlice(ctx.rec.id, start, end);
  return {
    model: modelId,
    unit,
    kind: u.kind,
    start,
    end,
    total: ctx.rec.chars,
    text: chars.join(""),
    values: opts.packed ? [] : toValues(q, u.kind),
    ...(opts.packed ? { packed: packBytes(q) } : {}),
    ...(opts.surprise ? { surprise: readSurprise(ctx, start, end) } : {}),
  };
}
