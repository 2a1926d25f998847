/**
 * Short colored excerpts of a recording: the text around an offset with one
 * unit's values, e.g. a unit's top activating characters, or a search match.
 */
import { readUnitRange, openBulk } from "../store/activations.ts";
import { bytesToValues, parseUnitId, type UnitKind } from "../store/quantize.ts";
import { recordingText, type RecordingMeta } from "./model-context.ts";

export interface Snippet {
  /** Offset of the first character shown. */
  start: number;
  /** The text shown: its i-th code point is at offset start + i. */
  text: string;
  /** The unit's value at each character (rounded to 3 decimals). */
  values: number[];
  /** The highlighted character (the peak) or span [from, to), in recording offsets. */
  mark: [number, number];
}

export const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** Dequantized, rounded values of a byte range. */
export const toValues = (q: Uint8Array, kind: UnitKind): number[] => bytesToValues(q, kind);

/**
 * Snippets of ±radius characters around each of `marks` ([from, to) spans).
 * `bytes`, when given, are the unit's bytes for the whole recording (saves
 * reading them again); otherwise only the needed chunks are read.
 */
export async function readSnippets(
  rec: Pick<RecordingMeta, "id" | "chars" | "chunkChars">,
  unit: string,
  marks: [number, number][],
  radius = 30,
  bytes?: Uint8Array,
): Promise<Snippet[]> {
  if (!marks.length) return [];
  const kind = parseUnitId(unit).kind;
  const { chars } = await recordingText(rec.id);
  const windows = marks.map(([a, b]) => {
    const start = Math.max(0, a - radius);
    return { start, end: Math.min(rec.chars, Math.max(b, a + 1) + radius), mark: [a, b] as [number, number] };
  });
  let all = bytes;
  if (!all) {
    // One read covering every window when they are close together, else one per window.
    const lo = Math.min(...windows.map((w) => w.start));
    const hi = Math.max(...windows.map((w) => w.end));
    if (hi - lo <= 4 * rec.chunkChars) {
      const q = readUnitRange(openBulk(), rec.id, unit, rec.chunkChars, lo, hi);
      return windows.map((w) => ({ start: w.start, text: chars.slice(w.start, w.end).join(""), values: toValues(q.subarray(w.start - lo, w.end - lo), kind), mark: w.mark }));
    }
    return windows.map((w) => ({
      start: w.start,
      text: chars.slice(w.start, w.end).join(""),
      values: toValues(readUnitRange(openBulk(), rec.id, unit, rec.chunkChars, w.start, w.end), kind),
      mark: w.mark,
    }));
  }
  return windows.map((w) => ({ start: w.start, text: chars.slice(w.start, w.end).join(""), values: toValues(all.subarray(w.start, w.end), kind), mark: w.mark }));
}

/** The snippet of characters [start, end) from a unit's bytes for the whole recording, `mark` highlighted. */
export async function snippetOf(rec: Pick<RecordingMeta, "id">, unit: string, bytes: Uint8Array, start: number, end: number, mark: [number, number]): Promise<Snippet> {
  const { chars } = await recordingText(rec.id);
  return { start, text: chars.slice(start, end).join(""), values: toValues(bytes.subarray(start, end), parseUnitId(unit).kind), mark };
}
