/**
 * The bulk half of the store: activation bytes and per-character predictions,
 * read and written with better-sqlite3 on the same SQLite file Prisma uses.
 * Why not Prisma: these are millions of bytes per recording in thousands of
 * blobs, and Prisma's query engine would copy each through JSON-like
 * marshalling; better-sqlite3 hands Buffers straight to SQLite.
 *
 * Layout: ActivationChunk(recordingId, unit, chunk, data) holds unit `unit`'s
 * bytes for characters [chunk·chunkChars, (chunk+1)·chunkChars) of the
 * recording; CharChunk holds, per character, the loss as float32 and the
 * top-5 next-character ids and probabilities (probability × 255) as bytes.
 */
import Database from "better-sqlite3";
import { dbPath } from "../db-file.ts";

export const TOP_N = 5;

let shared: Database.Database | undefined;
let sharedFile: string | undefined;

/**
 * One better-sqlite3 connection per process and file (WAL; waits up to 10 s
 * for a writer's lock). The file must exist: only set-up creates a store.
 */
export function openBulk(file: string = dbPath()): Database.Database {
  if (shared && sharedFile === file && shared.open) return shared;
  const db = new Database(file, { timeout: 10_000, fileMustExist: true });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  shared = db;
  sharedFile = file;
  return db;
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * `db.prepare(sql)`, once per connection and statement: compiling the SQL is
 * most of a small read's cost (2% of a cell page's CPU before this), and the
 * explorer runs the same few reads on every request.
 */
export function statement(db: Database.Database, sql: string): Database.Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}

export function closeBulk(): void {
  shared?.close();
  shared = undefined;
}

export interface CharData {
  nll: Float32Array;
  /** [chars × TOP_N] ids. */
  topIds: Uint8Array;
  /** [chars × TOP_N] probabilities × 255. */
  topProbs: Uint8Array;
}

/** Writes one chunk of a recording (every unit's bytes and the per-character data) in one transaction, with `after` inside it. */
export function writeChunk(
  db: Database.Database,
  recordingId: number,
  chunk: number,
  units: Map<string, Uint8Array>,
  chars: CharData,
  after: () => void,
): void {
  const insUnit = db.prepare(`INSERT OR REPLACE INTO "ActivationChunk" ("recordingId", "unit", "chunk", "data") VALUES (?, ?, ?, ?)`);
  const insChars = db.prepare(
    `INSERT OR REPLACE INTO "CharChunk" ("recordingId", "chunk", "nll", "topIds", "topProbs") VALUES (?, ?, ?, ?, ?)`,
  );
  const buf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  db.transaction(() => {
    for (const [unit, data] of units) insUnit.run(recordingId, unit, chunk, buf(data));
    insChars.run(recordingId, chunk, buf(chars.nll), buf(chars.topIds), buf(chars.topProbs));
    after();
  })();
}

/**
 * Replaces a recording's Unit rows (its units' statistics) in one
 * transaction. Through this connection rather than Prisma's createMany, which
 * took 0.9 s for a 2×256's 1,024 rows here against a few milliseconds: each
 * row's four JSON strings went through the query engine's marshalling. A row's
 * keys are the Unit table's columns (prisma/schema.prisma).
 */
export function writeUnitRows(db: Database.Database, recordingId: number, rows: readonly Record<string, string | number>[]): void {
  const columns = rows.length ? Object.keys(rows[0]) : [];
  const insert = columns.length
    ? statement(db, `INSERT INTO "Unit" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`)
    : null;
  db.transaction(() => {
    statement(db, `DELETE FROM "Unit" WHERE "recordingId" = ?`).run(recordingId);
    for (const row of rows) {
      if (row.recordingId !== recordingId) throw new Error(`unit row for recording ${row.recordingId} given for recording ${recordingId}`);
      insert!.run(columns.map((c) => row[c]));
    }
  })();
}

/**
 * Every unit's byte at one character `at`, by unit: one chunk of each unit
 * read, not every unit's whole row (what the inspector needs of a recording
 * too large to hold).
 */
export function readColumn(db: Database.Database, recordingId: number, chunkChars: number, at: number): Map<string, number> {
  const chunk = Math.floor(at / chunkChars);
  const rows = statement(db, `SELECT "unit", substr("data", ?, 1) AS "b" FROM "ActivationChunk" WHERE "recordingId" = ? AND "chunk" = ?`)
    .all(at - chunk * chunkChars + 1, recordingId, chunk) as { unit: string; b: Buffer }[];
  return new Map(rows.map((r) => [r.unit, r.b[0]]));
}

export function readUnit(db: Database.Database, recordingId: number, unit: string, chars: number): Uint8Array {
  const rows = statement(db, `SELECT "chunk", "data" FROM "ActivationChunk" WHERE "recordingId" = ? AND "unit" = ? ORDER BY "chunk"`)
    .all(recordingId, unit) as { chunk: number; data: Buffer }[];
  const out = new Uint8Array(chars);
  let off = 0;
  for (const r of rows) {
    out.set(r.data.subarray(0, Math.min(r.data.length, chars - off)), off);
    off += r.data.length;
  }
  if (off < chars) throw new Error(`recording ${recordingId}: unit ${unit} has ${off} of ${chars} characters stored`);
  return out;
}

/** One unit's bytes for characters [start, end) only, reading just the chunks that overlap. */
export function readUnitRange(db: Database.Database, recordingId: number, unit: string, chunkChars: number, start: number, end: number): Uint8Array {
  const first = Math.floor(start / chunkChars);
  const last = Math.floor((end - 1) / chunkChars);
  const rows = statement(db, `SELECT "chunk", "data" FROM "ActivationChunk" WHERE "recordingId" = ? AND "unit" = ? AND "chunk" BETWEEN ? AND ? ORDER BY "chunk"`)
    .all(recordingId, unit, first, last) as { chunk: number; data: Buffer }[];
  const out = new Uint8Array(end - start);
  for (const r of rows) {
    const base = r.chunk * chunkChars;
    const from = Math.max(start, base), to = Math.min(end, base + r.data.length);
    if (to > from) out.set(r.data.subarray(from - base, to - base), from - start);
  }
  return out;
}

/** Every unit's bytes for a recording: unit id → [chars]. */
export function readAllUnits(db: Database.Database, recordingId: number, chars: number, chunkChars: number): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const stmt = db.prepare(`SELECT "unit", "chunk", "data" FROM "ActivationChunk" WHERE "recordingId" = ?`);
  for (const r of stmt.iterate(recordingId) as Iterable<{ unit: string; chunk: number; data: Buffer }>) {
    let a = out.get(r.unit);
    if (!a) out.set(r.unit, (a = new Uint8Array(chars)));
    a.set(r.data.subarray(0, Math.max(0, Math.min(r.data.length, chars - r.chunk * chunkChars))), r.chunk * chunkChars);
  }
  return out;
}

/** Per-character losses and guesses for characters [start, end). */
export function readChars(db: Database.Database, recordingId: number, chunkChars: number, start: number, end: number): CharData {
  const first = Math.floor(start / chunkChars);
  const last = Math.floor((end - 1) / chunkChars);
  const rows = statement(db, `SELECT "chunk", "nll", "topIds", "topProbs" FROM "CharChunk" WHERE "recordingId" = ? AND "chunk" BETWEEN ? AND ? ORDER BY "chunk"`)
    .all(recordingId, first, last) as { chunk: number; nll: Buffer; topIds: Buffer; topProbs: Buffer }[];
  const n = end - start;
  const out: CharData = { nll: new Float32Array(n), topIds: new Uint8Array(n * TOP_N), topProbs: new Uint8Array(n * TOP_N) };
  for (const r of rows) {
    const base = r.chunk * chunkChars;
    const len = r.nll.length / 4;
    const from = Math.max(start, base), to = Math.min(end, base + len);
    if (to <= from) continue;
    const nll = new Float32Array(r.nll.buffer.slice(r.nll.byteOffset, r.nll.byteOffset + r.nll.byteLength));
    out.nll.set(nll.subarray(from - base, to - base), from - start);
    out.topIds.set(r.topIds.subarray((from - base) * TOP_N, (to - base) * TOP_N), (from - start) * TOP_N);
    out.topProbs.set(r.topProbs.subarray((from - base) * TOP_N, (to - base) * TOP_N), (from - start) * TOP_N);
  }
  return out;
}

/** Removes a recording's bulk rows (before redoing it). */
export function deleteBulk(db: Database.Database, recordingId: number): void {
  db.prepare(`DELETE FROM "ActivationChunk" WHERE "recordingId" = ?`).run(recordingId);
  db.prepare(`DELETE FROM "CharChunk" WHERE "recordingId" = ?`).run(recordingId);
}
