/**
 * Activations are stored as one byte per value: a fixed linear map of each
 * kind's natural range (lib/model/unit-kinds.ts) onto 0..255. tanh-like kinds
 * lie in [−1, 1] (step 2/255, error ≤ 0.004); gates lie in [0, 1] (step
 * 1/255). Pearson r is unchanged by an affine map, so search ranks on the
 * bytes themselves.
 */
import { KIND_LIST, UNIT_ID_PATTERN, type Range, type UnitKind } from "../model/unit-kinds.ts";

export { kindRange, UNIT_ID_PATTERN, UNIT_KINDS, type Range, type UnitKind } from "../model/unit-kinds.ts";

export function quantize(v: number, r: Range): number {
  const q = Math.round(((v - r.lo) / (r.hi - r.lo)) * 255);
  return q < 0 ? 0 : q > 255 ? 255 : q;
}

export function dequantize(q: number, r: Range): number {
  return r.lo + (q / 255) * (r.hi - r.lo);
}

/** A unit id `KIND:LAYER:INDEX`, e.g. `c:1:83`. */
export interface UnitId {
  kind: UnitKind;
  layer: number;
  index: number;
}

export function parseUnitId(s: string): UnitId {
  const m = UNIT_ID_PATTERN.exec(s);
  if (!m) throw new Error(`"${s.slice(0, 40)}" is not a unit id: write KIND:LAYER:INDEX, e.g. c:1:83 (kinds ${KIND_LIST})`);
  return { kind: m[1] as UnitKind, layer: Number(m[2]), index: Number(m[3]) };
}

export function formatUnitId(u: UnitId): string {
  return `${u.kind}:${u.layer}:${u.index}`;
}
