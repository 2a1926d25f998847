/**
 * Reading recordings: which complete recording a model has, its text, a unit's
 * values, and every unit's bytes for search (kept in a small in-process cache,
 * since a search touches every byte of a recording).
 */
import type { PrismaClient, Recording } from "../generated/prisma/client.ts";
import { byteHistogram } from "../record/unit-stats.ts";
import type { UnitSeries } from "../search/rank.ts";
import { openBulk, readUnitRange } from "./activations.ts";
import { UnitMatrix } from "../search/unit-matrix.ts";
import { dequantize, kindRange, parseUnitId, type UnitKind } from "./quantize.ts";
import { isGateKind, kindLabel } from "../model/unit-kinds.ts";
import { cellByName } from "../model/cells.ts";

/** The kinds a cell records, or undefined for a cell this version does not know. */
function cellRecords(cell: string | undefined): readonly string[] | undefined {
  try {
    return cell ? cellByName(cell).records : undefined;
  } catch {
    return undefined;
  }
}
import { sharedMap } from "./shared-map.ts";

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

/**
 * Checks a unit id against a recording's model: kind recorded, layer and index
 * in range. The messages are what pages and the API show (one wording for all).
 */
export function checkUnit(rec: Pick<Recording, "kinds">, model: { id?: string; layers: number; hidden: number; cell?: string }, unit: string) {
  const u = parseUnitId(unit);
  const recorded = rec.kinds.split(",");
  if (!recorded.includes(u.kind)) {
    const has = cellRecords(model.cell);
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

/** A recording's units ready for search: their bytes in one SIMD-ready matrix, in `series` order. */
export interface LoadedUnits {
  series: UnitSeries[];
  matrix: UnitMatrix;
}

const cache = sharedMap<number, Promise<LoadedUnits>>("units");
const CACHE_SIZE = 3;

/** Every unit's bytes and sums for a recording. */
export async function loadUnitSeries(prisma: PrismaClient, rec: Pick<Recording, "id" | "chars" | "chunkChars">): Promise<UnitSeries[]> {
  return (await loadUnits(prisma, rec)).series;
}

/** Every unit's bytes and sums for a recording, in a search-ready matrix (cached for the few most recent recordings). */
export function loadUnits(prisma: PrismaClient, rec: Pick<Recording, "id" | "chars" | "chunkChars">): Promise<LoadedUnits> {
  let p = cache.get(rec.id);
  if (p) {
    cache.delete(rec.id);
    cache.set(rec.id, p); // most recently used last
    return p;
  }
  p = (async () => {
    const units = await prisma.unit.findMany({ where: { recordingId: rec.id }, select: { unit: true, sumQ: true, sumQ2: true }, orderBy: { unit: "asc" } });
    const matrix = new UnitMatrix(rec.chars, units.length);
    const row = new Map(units.map((u, k) => [u.unit, k]));
    const stmt = openBulk().prepare(`SELECT "unit", "chunk", "data" FROM "ActivationChunk" WHERE "recordingId" = ?`);
    const filled = new Uint32Array(units.length);
    for (const r of stmt.iterate(rec.id) as Iterable<{ unit: string; chunk: number; data: Buffer }>) {
      const k = row.get(r.unit);
      if (k === undefined) continue;
      const at = r.chunk * rec.chunkChars;
      matrix.row(k).set(r.data.subarray(0, Math.max(0, Math.min(r.data.length, rec.chars - at))), at);
      filled[k] += Math.min(r.data.length, rec.chars - at);
    }
    const series = units.map((u, k) => {
      if (filled[k] !== rec.chars) throw new Error(`recording ${rec.id}: unit ${u.unit} has ${filled[k]} of ${rec.chars} characters stored`);
      const q = matrix.row(k);
      // The histogram only serves AUCs (of the units a search returns): counted on first use, it
      // saves a second pass over every byte (over a second for a 2×256 model) when a server
      // first loads the recording.
      let hist: Uint32Array | undefined;
      return {
        unit: u.unit,
        q,
        get hist() {
          return (hist ??= byteHistogram(q));
        },
        sumQ: u.sumQ,
        sumQ2: u.sumQ2,
      };
    });
    return { series, matrix };
  })();
  cache.set(rec.id, p);
  p.catch(() => cache.delete(rec.id));
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return p;
}

export function clearSeriesCache(): void {
  cache.clear();
}
