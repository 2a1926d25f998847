/**
 * `cellscope serve`: prepare the store, build the web UI when it is stale, and
 * serve it in the foreground.
 *
 *   setupStore()  creates data/, applies Prisma migrations (`prisma migrate deploy`)
 *                 and switches the database to WAL;
 *   serve()       setupStore(), then `next build` if needed, then the web server
 *                 (web-server.mjs: `next start`'s handler in one process per core).
 *
 * Children run in the repo root with NEXT_TELEMETRY_DISABLED=1 and
 * CHECKPOINT_DISABLE=1 (Prisma's update check), and CELLSCOPE_DB set to the
 * absolute database path, so the web server and the CLI agree on the file.
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { DEFAULT_DB, dbPath, prepareDbFile } from "../db-file.ts";
import { toStoreError } from "../store/store-error.ts";

/** The repository root (this file is lib/cli/serve.ts). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

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

function childEnv(file: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CELLSCOPE_DB: file,
    NEXT_TELEMETRY_DISABLED: "1",
    CHECKPOINT_DISABLE: "1",
  };
}

/** Runs a command to completion; resolves with its exit code and (when piped) output. */
function run(cmd: string, args: string[], opts: SpawnOptions): Promise<{ code: number; output: string }> {
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

/** Test files are not part of the web build: editing one needs no rebuild. */
const NOT_BUILT = /\.(test|spec)\.[cm]?[jt]sx?$/;

/** Newest modification time (ms) of the files under `dir` (recursively, tests aside); 0 if none. */
function newestMtime(dir: string): number {
  let newest = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (e.name === "node_modules" || e.name === ".next") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.isFile() && !NOT_BUILT.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Files outside app/ and lib/ whose change also calls for a new build. */
const BUILD_INPUTS = ["next.config.js", "postcss.config.mjs", "tsconfig.json", "package.json", "package-lock.json"];

/** Why the web UI needs a (re)build, or null when .next/BUILD_ID is newer than every input. */
export function buildStaleReason(): string | null {
  let built: number;
  try {
    built = fs.statSync(path.join(ROOT, ".next", "BUILD_ID")).mtimeMs;
  } catch {
    return "no build yet";
  }
  const sources = Math.max(
    newestMtime(path.join(ROOT, "app")),
    newestMtime(path.join(ROOT, "lib")),
    ...BUILD_INPUTS.map((f) => {
      try {
        return fs.statSync(path.join(ROOT, f)).mtimeMs;
      } catch {
        return 0;
      }
    }),
  );
  return sources > built ? "sources changed since the last build" : null;
}

/** Runs `next build` when the build is missing or stale. */
async function buildIfNeeded(env: NodeJS.ProcessEnv): Promise<void> {
  const reason = buildStaleReason();
  if (!reason) return;
  console.log(`cellscope: building the web UI (${reason})…`);
  const { code } = await run(bin("next"), ["build"], { cwd: ROOT, env, stdio: "inherit" });
  if (code !== 0) throw new ServeError(`next build failed (exit ${code})`);
}

/** The web server's command line (lib/cli/web-server.mjs: the built app in `workers` processes on one port). */
export function webServerArgs(opts: { port: number; host?: string; workers?: number }): string[] {
  const args = [path.join(ROOT, "lib", "cli", "web-server.mjs"), "--port", String(opts.port)];
  if (opts.host) args.push("--host", opts.host);
  if (opts.workers !== undefined) args.push("--workers", String(opts.workers));
  return args;
}

/** Runs the web server in the foreground until it exits, forwarding SIGINT/SIGTERM/SIGHUP. */
function start(opts: { port: number; host?: string; workers?: number }, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, webServerArgs(opts), { cwd: ROOT, env, stdio: "inherit" });
    const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
    const forward = (sig: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    };
    for (const s of signals) process.on(s, forward);
    const cleanup = () => {
      for (const s of signals) process.off(s, forward);
    };
    child.on("error", (err) => {
      cleanup();
      reject(new ServeError(`could not run the web server: ${err.message}`));
    });
    child.on("exit", (code, signal) => {
      cleanup();
      // A signal we forwarded is a normal stop; report it as 128 + signal number.
      if (signal) resolve(128 + (signalNumbers[signal] ?? 0));
      else resolve(code ?? 1);
    });
  });
}

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/**
 * Serves the web UI on `port` (and `host`, default all interfaces) with
 * `workers` processes (default: one per core, at most 4): prepares the store,
 * builds when stale, then runs the web server until it stops. Exits the
 * process with the server's status; on failure prints one line
 * (`cellscope serve: …`) and exits 1.
 */
export async function serve(opts: { port: number; host?: string; workers?: number }): Promise<void> {
  try {
    if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) {
      throw new ServeError(`invalid port ${opts.port}`);
    }
    if (opts.workers !== undefined && (!Number.isInteger(opts.workers) || opts.workers < 1 || opts.workers > 64)) {
      throw new ServeError(`--workers must be a whole number from 1 to 64`);
    }
    await setupStore();
    const env = childEnv(storePath());
    await buildIfNeeded(env);
    console.log(`cellscope: serving on http://${opts.host ?? "localhost"}:${opts.port}`);
    const code = await start(opts, env);
    process.exit(code);
  } catch (err) {
    const msg = err instanceof ServeError ? err.message : (err as Error)?.stack ?? String(err);
    console.error(`cellscope serve: ${msg}`);
    process.exit(1);
  }
}
