/**
 * Setting up the store: create data/, apply pending Prisma migrations
 * (`prisma migrate deploy`, only when one is pending) and switch the database
 * to WAL. `cellscope setup`, `cellscope serve` and tests run it.
 *
 * Children run in the repo root with NEXT_TELEMETRY_DISABLED=1 and
 * CHECKPOINT_DISABLE=1 (Prisma's update check), and CELLSCOPE_DB set to the
 * absolute database path, so every process agrees on the file.
 */
import { spawn, type SpawnOptions } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { DEFAULT_DB, dbPath, prepareDbFile } from "../db-file.ts";
import { toStoreError } from "./store-error.ts";

import { PROJECT_ROOT as ROOT } from "../project-root.ts";

export { ROOT };

export const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

/** An error whose message is the one line to show the user. */
export class ServeError extends Error {
  override name = "ServeError";
}

/**
 * The database file for the server: `$CELLSCOPE_DB` resolved against the
 * caller's working directory, else data/cellscope.db in the repo root.
 */
export function storePath(env: Record<string, string | undefined> = process.env): string {
  return env.CELLSCOPE_DB?.trim() ? dbPath(env) : path.join(ROOT, DEFAULT_DB);
}

export function childEnv(file: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CELLSCOPE_DB: file,
    NEXT_TELEMETRY_DISABLED: "1",
    CHECKPOINT_DISABLE: "1",
  };
}

/** Runs a command to completion; resolves with its exit code and (when piped) output. */
export function run(cmd: string, args: string[], opts: SpawnOptions): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    let output = "";
    const child = spawn(cmd, args, opts);
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", (err) => reject(new ServeError(`could not run ${path.basename(cmd)}: ${err.message}`)));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

/**
 * The migrations in prisma/migrations that the store has not applied yet, or
 * null when only `prisma migrate deploy` can tell (no store yet, no
 * migrations table, a failed migration). A StoreError if the file is not a
 * database.
 */
export function pendingMigrations(file: string): string[] | null {
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) return null;
  const dir = path.join(ROOT, "prisma", "migrations");
  const all = fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, "migration.sql")));
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 5000 });
    const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
    if (!table) return null;
    const rows = db.prepare(`SELECT "migration_name" AS name, "finished_at" AS done, "rolled_back_at" AS undone FROM "_prisma_migrations"`).all() as { name: string; done: unknown; undone: unknown }[];
    if (rows.some((r) => r.done === null && r.undone === null)) return null; // a failed one: deploy explains
    const applied = new Set(rows.filter((r) => r.done !== null && r.undone === null).map((r) => r.name));
    return all.filter((m) => !applied.has(m));
  } catch (err) {
    const store = toStoreError(err, file);
    if (store) throw store;
    throw err;
  } finally {
    db?.close();
  }
}

/**
 * Creates the database's folder, applies pending Prisma migrations and turns
 * on WAL. Throws a ServeError (one-line message) on failure, after printing
 * Prisma's own output.
 *
 * `prisma migrate deploy` takes the file in exclusive locking mode, which
 * fails while any other process has it open (a running server, a record
 * run), so it runs only when a migration is pending.
 */
export async function setupStore(): Promise<void> {
  const file = storePath();
  fs.mkdirSync(path.join(ROOT, "data"), { recursive: true });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const shown = path.relative(process.cwd(), file);
  const where = shown && !shown.startsWith("..") ? shown : file;
  let pending: string[] | null;
  try {
    pending = pendingMigrations(file);
  } catch (err) {
    throw new ServeError((err as Error).message);
  }
  let applied = false;
  if (pending === null || pending.length > 0) {
    // Prisma's output is noisy (a warning about the schema's unused url on every
    // run): keep it, and show it only when something goes wrong.
    const { code, output } = await run(bin("prisma"), ["migrate", "deploy"], {
      cwd: ROOT,
      env: childEnv(file),
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (code !== 0 && /SocketTimeout|SQLITE_BUSY|database is locked/.test(output)) {
      throw new ServeError(
        `the store ${where} is open in another process (a running server or a cellscope record): stop it, then run this again to apply ${pending ? `${pending.length} new migration(s)` : "its migrations"}`,
      );
    }
    if (code !== 0) {
      process.stderr.write(output);
      throw new ServeError(`prisma migrate deploy failed (exit ${code}) on ${file}`);
    }
    applied = /following migration\(s\) have been applied/.test(output);
  }
  try {
    prepareDbFile(file);
  } catch (err) {
    throw new ServeError(`could not open ${file}: ${(err as Error).message}`);
  }
  console.error(`cellscope: database ${where} ${applied ? "migrated" : "up to date"}`);
}

