/**
 * Reading recordings: which complete recording a model has, its text, a unit's
 * values (every unit's bytes for search: lib/search/load-units.ts).
 */
import type { Recording } from "../generated/prisma/client.ts";
import { openBulk, readUnitRange, statement } from "./activations.ts";
import { toDate } from "./unit-rows.ts";
import { dequantize, kindRange, parseUnitId, type UnitKind } from "./quantize.ts";
import { isGateKind, kindLabel } from "../model/unit-kinds.ts";

import { NotFoundError } from "../api/errors.ts";
export { NotFoundError };

/**
 * How the recording a model is shown with is chosen among its complete ones:
 * by split name descending ("valid", then "train", then "test"), then the
 * most characters, then the newest. findRecording and
 * lib/cells/model-context.ts both read this.
 */
export const SHOWN_RECORDING_ORDER = [{ split: "desc" }, { chars: "desc" }, { id: "desc" }] as const;

/** The recording a model is shown with (SHOWN_RECORDING_ORDER), read through the bulk connection: a cold `cellscope search` then never starts Prisma. */
export async function findRecording(modelId: string): Promise<Recording> {
  const db = openBulk();
  if (!statement(db, `SELECT "id" FROM "Model" WHERE "id" = ?`).get(modelId)) throw new NotFoundError(`unknown model "${modelId}"`);
  const order = SHOWN_RECORDING_ORDER.map((o) => Object.entries(o).map(([k, d]) => `"${k}" ${d.toUpperCase()}`)).join(", ");
  const row = statement(db, `SELECT * FROM "Recording" WHERE "modelId" = ? AND "status" = 'complete' ORDER BY ${order} LIMIT 1`).get(modelId) as
    | (Omit<Recording, "createdAt" | "completedAt"> & { createdAt: string | number; completedAt: string | number | null })
    | undefined;
  if (!row) throw new NotFoundError(`model "${modelId}" has no complete recording yet: run cellscope record --model ${modelId}`);
  return { ...row, createdAt: toDate(row.createdAt), completedAt: row.completedAt === null ? null : toDate(row.completedAt) };
}

/**
 * Checks a unit id against a recording's model: kind recorded, layer and index
 * in range. The messages are what pages and the API show (one wording for all).
 * `cellKinds`, the kinds the model's cell records (lib/model/cells.ts
 * `recordedKindsOf`), lets it say that a kind does not exist in this cell at
 * all; the store itself does not load the cells (they bring tfjs).
 */
export function checkUnit(
  rec: Pick<Recording, "kinds">,
  model: { id?: string; layers: number; hidden: number; cell?: string },
  unit: string,
  cellKinds?: readonly string[],
) {
  const u = parseUnitId(unit);
  const recorded = rec.kinds.split(",");
  if (!recorded.includes(u.kind)) {
    const has = cellKinds;
    if (has && !has.includes(u.kind)) {
      throw new NotFoundError(`unit ${unit}: kind "${u.kind}" was not recorded (recorded: ${rec.kinds}): a ${model.cell} has no ${kindLabel(u.kind)} (its kinds: ${has.join(", ")})`);
    }
    // Set-up records no gates; they need a recording of their own.
    const how = isGateKind(u.kind) && !recorded.some(isGateKind) ? `; record the gates with: npx cellscope record --model ${model.id ?? "MODEL"} --gates` : "";
    throw new NotFoundError(`unit ${unit}: kind "${u.kind}" was not recorded (recorded: ${rec.kinds})${how}`);
  }
  if (u.layer >= model.layers) throw new NotFoundError(`unit ${unit}: layer ${u.layer} does not exist (the model has ${model.layers} layers, 0 to ${model.layers - 1})`);
  if (u.index >= model.hidden) throw new NotFoundError(`unit ${unit}: index ${u.index} does not exist (layers have ${model.hidden} units, 0 to ${model.hidden - 1})`);
  return u;
}

/** A unit's dequantized values for characters [start, end) of a recording. */
export function readUnitValues(rec: Pick<Recording, "id" | "chunkChars" | "chars">, unit: string, start: number, end: number): Float32Array {
  const kind = parseUnitId(unit).kind as UnitKind;
  const q = readUnitRange(openBulk(), rec.id, unit, rec.chunkChars, start, end);
  const r = kindRange(kind);
  return Float32Array.from(q, (b) => dequantize(b, r));
}

