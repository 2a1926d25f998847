// @ts-check
/**
 * A worker thread that runs regex matches for lib/search/regex-runner.ts, so a
 * pattern that takes too long can be stopped (Worker.terminate) without the
 * server's event loop ever waiting on it.
 *
 * First message out: { ready: true }, once re2js is loaded.
 * Message in:  { id, patterns: string[], text: string }
 * Message out: { id, offsets: Int32Array[] } (one per pattern, see regex-find.mjs)
 *          or  { id, error: string }
 */
import { parentPort } from "node:worker_threads";
import { RE2JS } from "re2js";
import { findMatchOffsets } from "./regex-find.mjs";

const port = parentPort;
if (!port) throw new Error("regex-worker.mjs runs as a worker thread");

port.on("message", (/** @type {{ id: number, patterns: string[], text: string }} */ job) => {
  try {
    // The same flags as compileRegex in regex.ts.
    const offsets = job.patterns.map((p) => findMatchOffsets(RE2JS.compile(p, RE2JS.MULTILINE), job.text));
    port.postMessage({ id: job.id, offsets }, offsets.map((o) => o.buffer));
  } catch (e) {
    port.postMessage({ id: job.id, error: String(e instanceof Error ? e.message : e) });
  }
});

port.postMessage({ ready: true });
