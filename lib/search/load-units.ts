/**
 * Every unit's bytes of a recording for search, in one SIMD-ready matrix
 * (kept in a small in-process cache, since a search touches every byte of a
 * recording).
 */
import type { Recording } from "../generated/prisma/client.ts";
import { byteHistogram } from "../record/unit-stats.ts";
import { openBulk, readUnit, statement } from "../store/activations.ts";
import { sharedMap } from "../store/shared-map.ts";
import { countUnitRows, readUnitSums } from "../store/unit-rows.ts";
import type { UnitSeries } from "./rank.ts";
import { UnitMatrix, type Dots } from "./unit-matrix.ts";

/** A recording's units ready for search: their bytes in one SIMD-ready matrix, in `series` order. */
export interface LoadedUnits {
  series: UnitSeries[];
  matrix: UnitMatrix;
}

const cache = sharedMap<number, Promise<LoadedUnits>>("units");
/** The bytes each cached recording's matrix holds, once loaded. */
const sizes = sharedMap<number, number>("units-bytes");

/**
 * How much the cache may hold, in bytes ($CELLSCOPE_UNIT_CACHE_MB, default
 * 1,536 MB): every recording of a store like the shipped one (four models,
 * ~820 MB: 1 byte per character and unit), so a server's warm-up loads each
 * once and keeps it. A count would not do: with three slots for four models
 * every request for the fourth evicted one that the next request wanted again
 * (32 connections then waited seconds for recordings being reloaded).
 */
export const UNIT_CACHE_BYTES = (Number(process.env.CELLSCOPE_UNIT_CACHE_MB) || 1536) * 2 ** 20;

/**
 * Whether a search should load a recording into the cache: it is loaded
 * already, or its matrix fits the budget. One that does not is streamed
 * (streamUnitDots), so no single recording makes a server hold more than
 * UNIT_CACHE_BYTES plus one block of STREAM_BLOCK units.
 */
export async function fitsUnitCache(rec: Pick<Recording, "id" | "chars">): Promise<boolean> {
  if (cache.has(rec.id)) return true;
  const units = countUnitRows(rec.id);
  return units * UnitMatrix.strideFor(rec.chars) <= UNIT_CACHE_BYTES;
}

/** Drops the least recently used recordings (never `keep`) while the loaded ones hold more than UNIT_CACHE_BYTES. */
function evict(keep: number): void {
  // `keep` counted whether or not its load is in the cache yet (a load with nothing to wait for runs before it is).
  let total = sizes.get(keep) ?? 0;
  for (const id of cache.keys()) if (id !== keep) total += sizes.get(id) ?? 0;
  for (const id of [...cache.keys()]) {
    if (total <= UNIT_CACHE_BYTES) break;
    if (id === keep) continue;
    total -= sizes.get(id) ?? 0;
    cache.delete(id);
    sizes.delete(id);
  }
}

/** Every unit's bytes and sums for a recording. */
export async function loadUnitSeries(rec: Pick<Recording, "id" | "chars" | "chunkChars">): Promise<UnitSeries[]> {
  return (await loadUnits(rec)).series;
}

/** Every unit's bytes and sums for a recording, in a search-ready matrix (cached, least recently used out first, within UNIT_CACHE_BYTES). */
export function loadUnits(rec: Pick<Recording, "id" | "chars" | "chunkChars">): Promise<LoadedUnits> {
  let p = cache.get(rec.id);
  if (p) {
    cache.delete(rec.id);
    cache.set(rec.id, p); // most recently used last
    return p;
  }
  p = (async () => {
    const units = readUnitSums(rec.id);
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
      return unitSeries(u, () => q);
    });
    sizes.set(rec.id, units.length * matrix.stride);
    evict(rec.id);
    return { series, matrix };
  })();
  cache.set(rec.id, p);
  p.catch(() => cache.delete(rec.id));
  return p;
}

/** A unit's series over its bytes, read by `bytes` when first asked for. */
function unitSeries(u: { unit: string; sumQ: number; sumQ2: number }, bytes: () => Uint8Array): UnitSeries {
  let q: Uint8Array | undefined;
  // The histogram only serves AUCs (of the units a search returns): counted on first use, it
  // saves a second pass over every byte (over a second for a 2×256 model) when a server
  // first loads the recording.
  let hist: Uint32Array | undefined;
  return {
    unit: u.unit,
    get q() {
      return (q ??= bytes());
    },
    get hist() {
      return (hist ??= byteHistogram(this.q));
    },
    sumQ: u.sumQ,
    sumQ2: u.sumQ2,
  };
}

/**
 * Σ q·y of every unit (and, for a stretch, its Σ q and Σ q²) the way a server
 * should get them: from the cached matrix when the recording fits the cache's
 * budget (loading it there if need be), else streamed (streamUnitDots), so no
 * recording makes the server hold more than the budget.
 */
export async function unitDots(
  rec: Pick<Recording, "id" | "chars" | "chunkChars">,
  y: Float32Array,
  stretch?: [number, number],
): Promise<UnitDots> {
  if (!(await fitsUnitCache(rec))) return streamUnitDots(rec, y, stretch);
  return matrixDots(await loadUnits(rec), y, stretch);
}

/** What a search needs of every unit: its series, Σ q·y, and over a stretch its Σ q and Σ q². */
export interface UnitDots {
  series: UnitSeries[];
  dots: Dots;
  sums?: { sumQ: Float64Array; sumQ2: Float64Array };
}

/** unitDots from a loaded matrix. */
export function matrixDots({ series, matrix }: LoadedUnits, y: Float32Array, stretch?: [number, number]): UnitDots {
  return { series, dots: matrix.dotAll(y), ...(stretch ? { sums: matrix.sumsAll(stretch[0], stretch[1]) } : {}) };
}

/** Units per block of streamUnitDots: 64 × 311k characters (Linux) is a 20 MB buffer. */
const STREAM_BLOCK = 64;

/**
 * Σ q·y of every unit (and, for a stretch [from, to), its Σ q and Σ q²), streamed
 * through one reused block of STREAM_BLOCK units instead of a matrix of every
 * unit's bytes. For a one-shot search (the CLI): filling fresh memory with
 * every byte of a recording (320 MB for Linux) costs more than reading it from
 * SQLite, and it is read once. The series it returns read a unit's bytes only
 * when asked (AUC for the units a search returns). Already loaded, the cached
 * matrix answers instead.
 */
export async function streamUnitDots(
  rec: Pick<Recording, "id" | "chars" | "chunkChars">,
  y: Float32Array,
  stretch?: [number, number],
  /** Hears each unit's bytes (all of the recording's characters) while they are at hand, with its index in `series`: what else a caller needs of every byte (AUCs) without a second read. */
  onUnit?: (k: number, q: Uint8Array) => void,
): Promise<UnitDots> {
  const cached = cache.get(rec.id);
  if (cached) {
    const loaded = await cached;
    if (onUnit) loaded.series.forEach((s, k) => onUnit(k, s.q));
    return matrixDots(loaded, y, stretch);
  }
  const units = readUnitSums(rec.id);
  const db = openBulk();
  const block = new UnitMatrix(rec.chars, Math.min(STREAM_BLOCK, units.length));
  const dots = new Float64Array(units.length);
  const sums = stretch ? { sumQ: new Float64Array(units.length), sumQ2: new Float64Array(units.length) } : undefined;
  let sy = 0, syy = 0;
  // One range query per block (units sort the same in SQLite and here: orderBy unit asc, binary).
  const rows = statement(db, `SELECT "unit", "chunk", "data" FROM "ActivationChunk" WHERE "recordingId" = ? AND "unit" >= ? AND "unit" <= ? ORDER BY "unit", "chunk"`);
  for (let first = 0; first < units.length; first += STREAM_BLOCK) {
    const n = Math.min(STREAM_BLOCK, units.length - first);
    let k = -1, filled = 0, last = "";
    const done = () => {
      if (k >= 0 && filled !== rec.chars) throw new Error(`recording ${rec.id}: unit ${units[first + k].unit} has ${filled} of ${rec.chars} characters stored`);
    };
    for (const r of rows.iterate(rec.id, units[first].unit, units[first + n - 1].unit) as Iterable<{ unit: string; chunk: number; data: Buffer }>) {
      if (r.unit !== last) {
        done();
        k++, (filled = 0), (last = r.unit);
        if (units[first + k]?.unit !== r.unit) throw new Error(`recording ${rec.id}: unit ${r.unit} has bytes but no row`);
      }
      const at = r.chunk * rec.chunkChars;
      const len = Math.max(0, Math.min(r.data.length, rec.chars - at));
      block.row(k).set(r.data.subarray(0, len), at);
      filled += len;
    }
    done();
    if (k !== n - 1) throw new Error(`recording ${rec.id}: unit ${units[first + k + 1].unit} has no bytes stored`);
    if (onUnit) for (let j = 0; j < n; j++) onUnit(first + j, block.row(j));
    const d = block.dotAll(y, n);
    dots.set(d.dots, first);
    (sy = d.sy), (syy = d.syy);
    if (sums) {
      const s = block.sumsAll(stretch![0], stretch![1], n);
      sums.sumQ.set(s.sumQ, first);
      sums.sumQ2.set(s.sumQ2, first);
    }
  }
  // No units (a recording still being written): Σ y and Σ y² all the same, so the ranking can say what it is.
  if (units.length === 0) ({ sy, syy } = block.dotAll(y, 0));
  const series = units.map((u) => unitSeries(u, () => readUnit(db, rec.id, u.unit, rec.chars)));
  return { series, dots: { dots, sy, syy }, ...(sums ? { sums } : {}) };
}

export function clearSeriesCache(): void {
  cache.clear();
}
