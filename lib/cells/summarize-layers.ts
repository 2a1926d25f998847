/**
 * Per kind and layer, how many units are alive (not constant over the
 * recording) and, for tanh(c), how many are saturated: the model page's
 * summary beside the unit map.
 */
import { isConstantUnit } from "../search/strength.ts";
import { SATURATED_MEAN } from "../api/limits.ts";

export interface LayerSummary {
  kind: string;
  layer: number;
  units: number;
  alive: number;
  /** tanh(c) units with |mean| > SATURATED_MEAN; null for other kinds. */
  saturated: number | null;
}

export function summarizeLayers(units: readonly { kind: string; layer: number; std: number; mean: number }[]): LayerSummary[] {
  const out = new Map<string, LayerSummary>();
  for (const u of units) {
    const key = `${u.kind}:${u.layer}`;
    const s = out.get(key) ?? { kind: u.kind, layer: u.layer, units: 0, alive: 0, saturated: u.kind === "c" ? 0 : null };
    s.units++;
    if (!isConstantUnit(u)) s.alive++;
    if (s.saturated !== null && Math.abs(u.mean) > SATURATED_MEAN) s.saturated++;
    out.set(key, s);
  }
  return [...out.values()];
}
