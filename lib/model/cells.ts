/** Recurrent cells by name. A new cell is one file plus one line here. */
import type { RecurrentCell } from "./cell.ts";
import { lstm } from "./lstm.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const CELLS: Record<string, RecurrentCell<any>> = { lstm };

export type CellName = keyof typeof CELLS;

export function getCell(name: string): RecurrentCell<unknown> {
  const cell = CELLS[name];
  if (!cell) throw new Error(`unknown cell "${name}" (known: ${Object.keys(CELLS).join(", ")})`);
  return cell;
}
