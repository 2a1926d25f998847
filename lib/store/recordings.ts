/**
 * Reading recordings: which complete recording a model has, its text, a unit's
 * values (every unit's bytes for search: lib/search/load-units.ts).
 */
import type { PrismaClient, Recording } from "../generated/prisma/client.ts";
import { openBulk, readUnitRange } from "./activations.ts";
import { dequantize, kindRange, parseUnitId, type UnitKind } from "./quantize.ts";
import { isGateKind, kindLabel } from "../model/unit-kinds.ts";

import { NotFoundError } from "../api/errors.ts";
export { NotFoundError };

/** The recording a model is shown with: its complete recording of the test split with the most characters. */
export async function findRecording(prisma: PrismaClient, modelId: string): Promise<Recording> {
  const model = await prisma.model.findUnique({ where: { id: modelId }, select: { id: true } });
  if (!model) throw new NotFoundError(`unknown model "${modelId}"`);
  const rec = await prisma.recording.findFirst({
    where: { modelId, status: "complete" },
    orderBy: [{ split: "desc" }, { chars: "desc" }, { id: "desc" }],
  });
  if (!rec) throw new NotFoundError(`model "${modelId}" has no complete recording yet: run cellscope record --model ${modelId}`);
  return rec;
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

