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
