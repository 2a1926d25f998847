/**
 * Where Cellscope's SQLite database lives, and how its file is prepared.
 *
 * Free of Prisma Client imports, so that prisma.config.ts (loaded by the Prisma
 * CLI, possibly before the client is generated) and lib/store/setup-store.ts can use it.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/** The default database file, relative to the repo root (the working directory). */
export const DEFAULT_DB = "data/cellscope.db";

/**
 * Absolute path of the SQLite database file: `$CELLSCOPE_DB` when set (a path
 * or a `file:` URL), else `data/cellscope.db`. Relative paths resolve against
 * `base`, the current working directory unless given.
 */
export function dbPath(env: Record<string, string | undefined> = process.env, base: string = process.cwd()): string {
  let p = env.CELLSCOPE_DB?.trim() || DEFAULT_DB;
  if (p.startsWith("file:")) p = p.slice("file:".length);
  return path.resolve(base, p);
}

/**
 * Creates the database's folder and switches the file to write-ahead logging,
 * so the web UI can read while a training run writes. WAL is a property of the
 * file: once set it sticks, so repeating this is cheap.
 */
export function prepareDbFile(file: string = dbPath()): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
  } finally {
    db.close();
  }
}
