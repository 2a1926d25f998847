/**
 * What is wrong with the store, in words a user can act on: missing, never
 * set up, not a SQLite database (corrupt), or locked by a writer for longer
 * than a query waits. Pages show the message (app/layout.tsx checks the store
 * on every page request), the API answers 503 with it (lib/api/errors.ts),
 * the CLI prints it as its one line.
 *
 * Kept free of Prisma Client imports: lib/db.ts throws StoreError from its
 * adapter, and this file classifies the errors of both Prisma (its driver
 * adapter's SQLite codes) and better-sqlite3 (SqliteError codes).
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { dbPath } from "../db-file.ts";

export type StoreProblem = "missing" | "not_set_up" | "corrupt" | "busy";

export const SETUP_COMMAND = "npx cellscope setup";

export class StoreError extends Error {
  override name = "StoreError";
  constructor(
    readonly problem: StoreProblem,
    readonly file: string,
    message: string,
    /** The command that fixes it, if one does. */
    readonly fix: string | null,
  ) {
    super(message);
  }
  /** The API's error code: "store_missing", "store_busy", … */
  get apiCode(): string {
    return `store_${this.problem}`;
  }
}

/** The file as the user would type it: relative to the working directory when inside it. */
function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

export function storeError(problem: StoreProblem, file: string = dbPath()): StoreError {
  const f = shown(file);
  switch (problem) {
    case "missing":
      return new StoreError(problem, file, `The store ${f} is missing: run \`${SETUP_COMMAND}\` to create it and record the models.`, SETUP_COMMAND);
    case "not_set_up":
      return new StoreError(problem, file, `The store ${f} has not been set up (its tables are missing): run \`${SETUP_COMMAND}\`.`, SETUP_COMMAND);
    case "corrupt":
      return new StoreError(
        problem,
        file,
        `The store ${f} is not a readable SQLite database (corrupt, or another kind of file): move it aside, then run \`${SETUP_COMMAND}\` to build it again.`,
        SETUP_COMMAND,
      );
    case "busy":
      return new StoreError(
        problem,
        file,
        `The store ${f} is locked by another process writing to it (a \`cellscope record\` or \`setup\`?): try again when it is done.`,
        null,
      );
  }
}

/** SQLite's result code in an error from better-sqlite3 or from Prisma's SQLite driver adapter. */
function sqliteCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } } };
  const cause = e?.meta?.driverAdapterError?.cause;
  if (typeof cause?.originalCode === "string") return cause.originalCode;
  // better-sqlite3's SqliteError; Prisma puts the SQLite code here when the adapter has no better kind.
  if (typeof e?.code === "string" && e.code.startsWith("SQLITE_")) return e.code;
  return undefined;
}

/**
 * The StoreError an error from a query stands for, or null when it is not a
 * store problem (a bug, bad input). "No such table" is told apart by the
 * file: missing or empty is "missing", anything else "not set up".
 */
export function toStoreError(err: unknown, file: string = dbPath()): StoreError | null {
  if (err instanceof StoreError) return err;
  const code = sqliteCode(err);
  const prismaCode = (err as { code?: unknown })?.code;
  const noTable =
    prismaCode === "P2021" || (code === "SQLITE_ERROR" && /no such table/i.test(String((err as Error)?.message) + JSON.stringify((err as { meta?: unknown })?.meta ?? "")));
  if (noTable) return storeError(isEmptyOrMissing(file) ? "missing" : "not_set_up", file);
  if (!code) return null;
  if (code.startsWith("SQLITE_NOTADB") || code.startsWith("SQLITE_CORRUPT")) return storeError("corrupt", file);
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return storeError("busy", file);
  if (code.startsWith("SQLITE_CANTOPEN")) return storeError(fs.existsSync(file) ? "corrupt" : "missing", file);
  return null;
}

function isEmptyOrMissing(file: string): boolean {
  try {
    return fs.statSync(file).size === 0;
  } catch {
    return true;
  }
}

// One connection kept for the per-request check, reopened when the file is replaced.
let probe: { file: string; ino: number; db: Database.Database; stmt: Database.Statement } | undefined;

function closeProbe() {
  probe?.db.close();
  probe = undefined;
}

/**
 * Null when the store can be read, else what is wrong with it. Cheap enough
 * for every page request (a stat and a one-row query on a kept connection);
 * creates nothing: a missing store stays missing.
 */
export function checkStore(file: string = dbPath()): StoreError | null {
  let ino: number;
  try {
    const st = fs.statSync(file);
    if (st.size === 0) throw Object.assign(new Error("empty"), { code: "ENOENT" });
    ino = st.ino;
  } catch {
    closeProbe();
    return storeError("missing", file);
  }
  try {
    if (!probe || probe.file !== file || probe.ino !== ino || !probe.db.open) {
      closeProbe();
      const db = new Database(file, { fileMustExist: true, timeout: 2000 });
      try {
        probe = { file, ino, db, stmt: db.prepare(`SELECT 1 FROM "Model" LIMIT 1`) };
      } catch (err) {
        db.close();
        throw err;
      }
    }
    probe.stmt.get();
    return null;
  } catch (err) {
    closeProbe();
    const e = toStoreError(err, file);
    if (e) return e;
    throw err;
  }
}
