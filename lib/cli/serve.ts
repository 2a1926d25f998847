/**
 * `cellscope serve`: prepare the store (lib/store/setup-store.ts), build the
 * web UI when it is stale, and serve it in the foreground: serve() runs
 * setupStore(), then `next build` if needed, then the web server
 * (web-server.mjs: `next start`'s handler in one process per core), with
 * CELLSCOPE_DB set to the absolute database path, so the web server and the
 * CLI agree on the file.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { bin, childEnv, ROOT, run, ServeError, setupStore, storePath } from "../store/setup-store.ts";

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
