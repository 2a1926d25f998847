/**
 * Where a unit is worth looking at: the stretch of text where its values vary
 * most, so that its high and low values are both in view (a quote cell shows
 * quotes and narrative, not a screen of narrative). The cell page opens there
 * when no offset is asked for, and unit previews (labels, collections) show
 * the same idea over about fifty characters.
 */
import { openBulk, readUnitRange } from "../store/activations.ts";
import { getModelContext } from "./model-context.ts";
import { TEXT_BLOCK } from "../ui/urls.ts";
import { resolveUnit } from "./get-cell.ts";

/** The cell page's stretch: half a text block, about a screenful at 1280×800 (and it fits the page's text window, lib/ui/urls.ts). */
export const TELLING_CHARS = TEXT_BLOCK / 2;

export interface Stretch {
  /** Offsets [start, end) of the stretch. */
  start: number;
  end: number;
  /** Variance of the unit's stored bytes over the stretch (0 for a unit that does not move there). */
  spread: number;
}

/**
 * The `width`-character stretch of `q` (a unit's stored bytes, an affine image
 * of its values) with the largest variance; the earliest of equals, so the
 * answer is deterministic, and the start for a unit that never moves. Variance
 * rather than range: it rewards a screen that is half on and half off over one
 * with a single flicker.
 */
export function findTellingStretch(q: Uint8Array, width: number): Stretch {
  const w = Math.max(1, Math.min(width, q.length));
  if (q.length === 0) return { start: 0, end: 0, spread: 0 };
  // Sliding sums of q and q² (integers: exact in doubles for any recording).
  let s = 0, s2 = 0;
  for (let i = 0; i < w; i++) (s += q[i]), (s2 += q[i] * q[i]);
  // w²·variance = w·Σq² − (Σq)², compared without dividing.
  let best = w * s2 - s * s, bestStart = 0;
  for (let start = 1; start + w <= q.length; start++) {
    const out = q[start - 1], inn = q[start + w - 1];
    s += inn - out;
    s2 += inn * inn - out * out;
    const v = w * s2 - s * s;
    if (v > best) (best = v), (bestStart = start);
  }
  return { start: bestStart, end: bestStart + w, spread: best / (w * w) };
}

/** The offset in [start, end) of q's highest value, or with `low` its lowest (the first of equals). */
export function findExtreme(q: Uint8Array, start: number, end: number, low = false): number {
  let at = start;
  for (let i = start + 1; i < end; i++) if (low ? q[i] < q[at] : q[i] > q[at]) at = i;
  return at;
}

/** The cell page's opening stretch for a unit of a model: where it varies most, TELLING_CHARS long. */
export async function findCellStretch(modelId: string, unit: string, width = TELLING_CHARS): Promise<Stretch> {
  const ctx = await getModelContext(modelId);
  resolveUnit(ctx, unit);
  const q = readUnitRange(openBulk(), ctx.rec.id, unit, ctx.rec.chunkChars, 0, ctx.rec.chars);
  return findTellingStretch(q, width);
}
