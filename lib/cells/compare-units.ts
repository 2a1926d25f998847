/** Two or three units over the same stretch of text, for the compare view (?units=a,b,c&at=). */
import { InputError } from "../api/errors.ts";
import { getModelContext } from "./model-context.ts";
import { readActivations, type Activations } from "./read-activations.ts";
import { resolveUnit } from "./get-cell.ts";

export const MAX_COMPARE = 3;

/** "h:1:5, h:1:6" → ["h:1:5", "h:1:6"] (duplicates dropped); InputError when there are none or too many. */
export function parseUnitList(raw: string | undefined): string[] {
  const units = [...new Set((raw ?? "").split(/[\s,]+/).filter(Boolean))];
  if (units.length === 0) throw new InputError("give the units to compare, e.g. ?units=h:1:5,h:1:6", "bad_units");
  if (units.length > MAX_COMPARE) throw new InputError(`compare at most ${MAX_COMPARE} units at a time (got ${units.length})`, "bad_units");
  return units;
}

export async function compareUnits(modelId: string, units: string[], start: number, chars = 1600): Promise<Activations[]> {
  const ctx = await getModelContext(modelId);
  for (const u of units) resolveUnit(ctx, u);
  return Promise.all(units.map((u) => readActivations(modelId, u, { start, end: Math.min(ctx.rec.chars, start + chars) })));
}

/** Splits [start, start + chars.length) into display lines: at newlines (kept at the end of their line) and every `width` characters. */
export function splitLines(chars: string[], width = 100): [number, number][] {
  const out: [number, number][] = [];
  let a = 0;
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === "\n" || i + 1 - a >= width) {
      out.push([a, i + 1]);
      a = i + 1;
    }
  }
  if (a < chars.length) out.push([a, chars.length]);
  return out;
}
