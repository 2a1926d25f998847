/**
 * Every kind of unit a cell can record, the one place that says what a kind
 * is: its value range, whether it is a gate, and its name for people. The
 * store, search, API and explorer read this; each cell (lib/model/cells.ts)
 * says which of these kinds it records. Dependency-free, so client
 * components can import it without pulling in tfjs.
 *
 * A unit id is `KIND:LAYER:INDEX` with KIND one letter from this table.
 */

/** A kind's value range: tanh-like values lie in [−1, 1], sigmoid gates in [0, 1]. */
export interface Range {
  lo: number;
  hi: number;
}

const TANH: Range = { lo: -1, hi: 1 };
const SIGMOID: Range = { lo: 0, hi: 1 };

export interface KindInfo {
  range: Range;
  /** A gate: recorded only with `--gates`, plotted in the gate-saturation scatter. */
  gate: boolean;
  /** What a person calls it ("forget gate"). */
  label: string;
  /** Its name in running text and lists ("tanh(c)", "forget gate"). */
  short: string;
  /** Its dot color in the gate-saturation scatter. */
  color?: string;
}

export const UNIT_KIND_INFO = {
  c: { range: TANH, gate: false, label: "tanh(c), the cell state", short: "tanh(c)" },
  h: { range: TANH, gate: false, label: "h, the hidden state", short: "h" },
  i: { range: SIGMOID, gate: true, label: "input gate", short: "input gate", color: "#2563eb" },
  f: { range: SIGMOID, gate: true, label: "forget gate", short: "forget gate", color: "#c2410c" },
  o: { range: SIGMOID, gate: true, label: "output gate", short: "output gate", color: "#15803d" },
  r: { range: SIGMOID, gate: true, label: "reset gate", short: "reset gate", color: "#7c3aed" },
  z: { range: SIGMOID, gate: true, label: "update gate", short: "update gate", color: "#0e7490" },
} as const satisfies Record<string, KindInfo>;

export type UnitKind = keyof typeof UNIT_KIND_INFO;

/** Every kind, in the order views list them. */
export const UNIT_KINDS = Object.keys(UNIT_KIND_INFO) as UnitKind[];

export function isUnitKind(k: string): k is UnitKind {
  return Object.hasOwn(UNIT_KIND_INFO, k);
}

function info(kind: string): KindInfo | undefined {
  return isUnitKind(kind) ? UNIT_KIND_INFO[kind] : undefined;
}

/** The kind's value range (an unknown kind is treated as tanh-like). */
export function kindRange(kind: string): Range {
  return info(kind)?.range ?? TANH;
}

/** Whether the kind's values lie in [−1, 1] (else [0, 1]). */
export function isSigned(kind: string): boolean {
  return kindRange(kind).lo < 0;
}

export function isGateKind(kind: string): boolean {
  return info(kind)?.gate ?? false;
}

/** "forget gate"; an unknown kind is named by its letter. */
export function kindLabel(kind: string): string {
  return info(kind)?.label ?? kind;
}

/** "tanh(c)", "forget gate": for running text. */
export function kindShort(kind: string): string {
  return info(kind)?.short ?? kind;
}

/** The kind's dot color in the gate-saturation scatter (undefined for a kind that is not a gate). */
export function kindColor(kind: string): string | undefined {
  return info(kind)?.color;
}

/** The kinds as a list for messages: "c, h, i, f, o, r, z". */
export const KIND_LIST = UNIT_KINDS.join(", ");

/** A unit id `KIND:LAYER:INDEX`, e.g. `c:1:83`. */
export const UNIT_ID_PATTERN = new RegExp(`^([${UNIT_KINDS.join("")}]):(\\d{1,2}):(\\d{1,4})$`);
