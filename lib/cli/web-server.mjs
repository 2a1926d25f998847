/**
 * The web server `cellscope serve` (and so `npm start`) runs: the built Next.js
 * app in several worker processes sharing one port (node:cluster), because one
 * Node process renders one page at a time: under many concurrent visitors a
 * single `next start` keeps one core busy and queues everyone behind it.
 *
 *   node lib/cli/web-server.mjs --port 3000 [--host 127.0.0.1] [--workers N]
 *
 * N defaults to $CELLSCOPE_WEB_WORKERS, else the number of cores (at most 4:
 * each worker keeps its own cache of recordings, ~1 byte per character and
 * unit). A worker that dies is replaced; SIGINT/SIGTERM stop them all.
 *
 * Warm-up: right after it starts listening (health checks are answered at
 * once), each worker asks itself, on a private port of its own, for each
 * recorded model's inspector, cell page and a search, so that loading the
 * recording (seconds for a 2×256 model) and the routes' first runs are paid
 * before the first visitor comes, not by them. The primary logs each worker's
 * "warmed" line. CELLSCOPE_WARM=0 turns it off (bench ui compares the two).
 * Plain JavaScript: it runs before and beside the TypeScript CLI, with no loader.
 */
import cluster from "node:cluster";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

const { values } = parseArgs({ options: { port: { type: "string" }, host: { type: "string" }, workers: { type: "string" } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const host = values.host;
const workers = Number(values.workers ?? process.env.CELLSCOPE_WEB_WORKERS ?? Math.min(4, os.availableParallelism()));
if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port ${values.port}`);
if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new Error(`--workers must be a whole number from 1 to 64 (got ${values.workers ?? process.env.CELLSCOPE_WEB_WORKERS})`);

if (cluster.isPrimary) {
  // Under load a worker allocates ~15 MB/s of short-lived pages and JSON; by default V8 then
  // lets the heap grow to ~4× what is live (measured: 110 → 300 MB per worker in a minute,
  // RSS +25%). Growing it by 30% at a time keeps it near the live size (RSS +7%) at no
  // measurable cost in latency (bench/load.ts).
  cluster.setupPrimary({ execArgv: [...process.execArgv, "--heap-growing-percent=30"] });
  let exitCode = 0;
  let stopping = false;
  let ready = 0;
  /** Workers that have started listening; one that dies before that has a problem another would share. */
  const listening = new Set();
  const fork = () =>
    cluster.fork().on("message", function (m) {
      if (m?.warmed) {
        const { models, ms, failed } = m.warmed;
        console.log(`cellscope: web worker ${this.process.pid} warmed ${models.length} model${models.length === 1 ? "" : "s"} (${models.join(", ")}) in ${(ms / 1000).toFixed(1)} s${failed.length ? `; could not warm: ${failed.join("; ")}` : ""}`);
        return;
      }
      if (m !== "listening") return;
      listening.add(this.id);
      if (++ready === workers) console.log(`cellscope: ${workers} web worker${workers > 1 ? "s" : ""} ready`);
    });
  for (let i = 0; i < workers; i++) fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    if (!listening.has(worker.id)) {
      // It never got going (no build, a broken one, the port taken): starting another would loop.
      console.error(`cellscope: a web worker failed to start (${signal ?? `exit ${code}`}); stopping`);
      exitCode = 1;
      stop();
      return;
    }
    // A crash (out of memory, a native fault) loses that worker's requests, not the server.
    console.error(`cellscope: web worker ${worker.process.pid} died (${signal ?? `exit ${code}`}); starting another`);
    fork();
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
    setTimeout(() => process.exit(exitCode), 5000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("SIGHUP", stop);
} else {
  process.env.NODE_ENV = "production";
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: ROOT, hostname: host ?? "localhost", port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => handle(req, res));
  server.on("error", (err) => {
    console.error(`cellscope: the web server could not listen on ${host ?? "*"}:${port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(port, host, () => {
    process.send?.("listening");
    if (process.env.CELLSCOPE_WARM !== "0") {
      warmUp(handle).then(
        (warmed) => process.send?.({ warmed }),
        (err) => console.error(`cellscope: web worker ${process.pid} could not warm up: ${err.message}`),
      );
    }
  });
  // Finish the requests in flight, then go (idle kept-alive connections would hold close() open).
  process.on("SIGTERM", () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 3000).unref();
  });
  // The primary is gone (killed with SIGKILL): do not outlive it.
  process.on("disconnect", () => process.exit(0));
}

/**
 * Loads every recorded model in this worker: its recording (the inspector reads all
 * units, the cache search shares), the cell page and a search, one after another.
 * The requests go to this worker's own handler through a private server on a free
 * port (the shared port would hand some of them to the other workers).
 */
async function warmUp(handle) {
  const t0 = Date.now();
  const own = http.createServer((req, res) => handle(req, res));
  await new Promise((resolve, reject) => own.once("error", reject).listen({ port: 0, host: "127.0.0.1", exclusive: true }, resolve));
  const base = `http://127.0.0.1:${own.address().port}`;
  const get = async (url) => {
    const res = await fetch(base + url, { signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  };
  const models = [], failed = [];
  try {
    const { models: all } = await (await fetch(`${base}/api/models`, { signal: AbortSignal.timeout(60_000) })).json();
    for (const m of all.filter((m) => m.recording)) {
      const id = encodeURIComponent(m.id);
      try {
        await get(`/api/models/${id}/inspect?at=0`);
        await get(`/models/${id}/cells/h:0:0`);
        await get(`/models/${id}/search?q=${encodeURIComponent("\\s")}`);
        models.push(m.id);
      } catch (err) {
        failed.push(`${m.id}: ${err.message}`);
      }
    }
  } finally {
    own.close();
    own.closeAllConnections();
  }
  return { models, failed, ms: Date.now() - t0 };
}
