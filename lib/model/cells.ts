/**
 * Recurrent cells by name. A new cell is one file (what it is, its equations,
 * its forward and backward passes: see cell.ts) plus one line here.
 */
import type { RecurrentCell } from "./cell.ts";
import type { UnitKind } from "./unit-kinds.ts";
import { gru } from "./gru.ts";
import { lstm } from "./lstm.ts";
import { rnn } from "./rnn.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const CELLS: Record<string, RecurrentCell<any>> = { lstm, gru, rnn };

/** The cell names, for validation (`z.enum`) and help texts. */
export const CELL_NAMES = Object.keys(CELLS) as [string, ...string[]];

/** The kinds of unit a cell of that name records, or undefined for a cell this version does not know (a newer store's). */
export function recordedKindsOf(name: string | undefined): readonly UnitKind[] | undefined {
  return name && Object.hasOwn(CELLS, name) ? CELLS[name].records : undefined;
}

/** The model-side cell of that name (not a unit of a model: that is lib/cells/get-cell.ts). */
export function cellByName(name: string): RecurrentCell<unknown> {
  const cell = Object.hasOwn(CELLS, name) ? CELLS[name] : undefined;
  if (!cell) throw new Error(`unknown cell "${name}" (known: ${CELL_NAMES.join(", ")})`);
  return cell;
}
