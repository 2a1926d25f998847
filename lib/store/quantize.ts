/**
 * Activations are stored as one byte per value: a fixed linear map of each
 * kind's natural range (lib/model/unit-kinds.ts) onto 0..255. tanh-like kinds
 * lie in [−1, 1] (step 2/255, error ≤ 0.004); gates lie in [0, 1] (step
 * 1/255). Pearson r is unchanged by an affine map, so search ranks on the
 * bytes themselves.
 */
import { KIND_LIST, kindRange, UNIT_ID_PATTERN, type Range, type UnitKind } from "../model/unit-kinds.ts";

export { kindRange, UNIT_ID_PATTERN, UNIT_KINDS, type Range, type UnitKind } from "../model/unit-kinds.ts";

export function quantize(v: number, r: Range): number {
  const q = Math.round(((v - r.lo) / (r.hi - r.lo)) * 255);
  return q < 0 ? 0 : q > 255 ? 255 : q;
}

export function dequantize(q: number, r: Range): number {
  return r.lo + (q / 255) * (r.hi - r.lo);
}

/** Stored bytes as the values the API and pages show: dequantized, to 3 decimals (the step is 0.004 at best). */
export function bytesToValues(q: ArrayLike<number>, kind: UnitKind): number[] {
  const r = kindRange(kind);
  return Array.from(q, (b) => Math.round(dequantize(b, r) * 1000) / 1000);
}

/** The values of bytes sent as base64 (lib/cells/read-activations.ts packBytes), as bytesToValues gives them; runs in the browser. */
export function unpackValues(packed: string, kind: UnitKind): number[] {
  const s = atob(packed);
  const q = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) q[i] = s.charCodeAt(i);
  return bytesToValues(q, kind);
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
