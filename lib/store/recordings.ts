/**
 * Reading recordings: which complete recording a model has, its text, a unit's
 * values, and every unit's bytes for search (kept in a small in-process cache,
 * since a search touches every byte of a recording).
 */
import type { PrismaClient, Recording } from "../generated/prisma/client.ts";
import { byteHistogram } from "../record/unit-stats.ts";
import type { UnitSeries } from "../search/rank.ts";
import { openBulk, readAllUnits, readUnitRange } from "./activations.ts";
import { dequantize, kindRange, parseUnitId, type UnitKind } from "./quantize.ts";

export class NotFoundError extends Error {
  override name = "NotFoundError";
}

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

/** Checks a unit id against a recording's model: kind recorded, layer and index in range. */
export function checkUnit(rec: Pick<Recording, "kinds">, model: { layers: number; hidden: number }, unit: string) {
  const u = parseUnitId(unit);
  if (!rec.kinds.split(",").includes(u.kind)) throw new NotFoundError(`unit ${unit}: kind "${u.kind}" was not recorded (recorded: ${rec.kinds})`);
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

const cache = new Map<number, Promise<UnitSeries[]>>();
const CACHE_SIZE = 3;

/** Every unit's bytes and sums for a recording (cached for the few most recent recordings). */
export function loadUnitSeries(prisma: PrismaClient, rec: Pick<Recording, "id" | "chars" | "chunkChars">): Promise<UnitSeries[]> {
  let p = cache.get(rec.id);
  if (p) {
    cache.delete(rec.id);
    cache.set(rec.id, p); // most recently used last
    return p;
  }
  p = (async () => {
    const units = await prisma.unit.findMany({ where: { recordingId: rec.id }, select: { unit: true, sumQ: true, sumQ2: true } });
    const bytes = readAllUnits(openBulk(), rec.id, rec.chars, rec.chunkChars);
    return units.map((u) => {
      const q = bytes.get(u.unit);
      if (!q) throw new Error(`recording ${rec.id}: no stored values for unit ${u.unit}`);
      return { unit: u.unit, q, hist: byteHistogram(q), sumQ: u.sumQ, sumQ2: u.sumQ2 };
    });
  })();
  cache.set(rec.id, p);
  p.catch(() => cache.delete(rec.id));
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return p;
}

export function clearSeriesCache(): void {
  cache.clear();
}
