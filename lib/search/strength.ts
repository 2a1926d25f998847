import { CONSTANT_STD, MOVES_LITTLE_STD, NO_TRACK_R } from "../api/limits.ts";

/**
 * Whether a signal's best unit deserves to be called its detector. Every
 * signal has a best unit, even one no unit tracks (paren depth in prose: r
 * 0.03), so set-up stores one per signal; the UI only *names* a unit a
 * detector when it tracks the signal clearly: |r| ≥ 0.3, or for an on/off
 * signal an AUC at least 0.3 from chance (a unit can separate a rare signal,
 * such as paragraph starts, almost perfectly and still have a modest r).
 */
export const CLEAR_R = 0.3;
export const CLEAR_AUC_MARGIN = 0.3;

export function isClearDetector(d: { r: number; auc: number | null }): boolean {
  if (Math.abs(d.r) >= CLEAR_R) return true;
  return d.auc !== null && Math.abs(d.auc - 0.5) >= CLEAR_AUC_MARGIN;
}

/** A unit that barely moves over the recording (lib/api/limits.ts, CONSTANT_STD). */
export function isConstantUnit(u: { std: number }): boolean {
  return u.std < CONSTANT_STD;
}

/** A unit that moves, but within a few byte steps (lib/api/limits.ts, MOVES_LITTLE_STD). */
export function movesLittle(u: { std: number }): boolean {
  return !isConstantUnit(u) && u.std < MOVES_LITTLE_STD;
}

/**
 * The caution a search shows beside a unit's score, or null: "constant" for a
 * unit ranked last because it barely moves, "moves little" for one whose r
 * rests on a few byte steps. The page, the API and the CLI all show this text.
 */
export function unitCaution(u: { std: number }): string | null {
  if (isConstantUnit(u)) return `constant: std under ${CONSTANT_STD}`;
  if (movesLittle(u)) return `moves little: std ${Number(u.std.toPrecision(1))}`;
  return null;
}

/**
 * Whether no unit tracks a search's pattern or signal: the best |r| of a unit
 * that moves is under NO_TRACK_R. By r alone, not AUC: a rare pattern such as
 * `(a+)+$` is separated by any unit that fires on its last letter (AUC far
 * from 0.5) without any unit following the pattern itself.
 */
export function noUnitTracks(bestR: number): boolean {
  return bestR < NO_TRACK_R;
}

/**
 * "About 5% of cells are interpretable" (CS231n lecture 10): a unit counts as
 * interpretable when its best built-in signal has |r| ≥ 0.5, or for an on/off
 * signal an AUC at least 0.35 from chance. Stricter than a clear detector.
 */
export const INTERPRETABLE_R = 0.5;
export const INTERPRETABLE_AUC_MARGIN = 0.35;

export function isInterpretable(best: { r: number; auc: number | null } | null): boolean {
  if (!best) return false;
  if (Math.abs(best.r) >= INTERPRETABLE_R) return true;
  return best.auc !== null && Math.abs(best.auc - 0.5) >= INTERPRETABLE_AUC_MARGIN;
}
