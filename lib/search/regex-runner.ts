/**
 * Regex matching with a time limit, for searches (the server, the CLI).
 *
 * re2js never backtracks, but its time grows with the compiled pattern's size
 * times the text's length: `[\s\S]{1000}[\s\S]{1000}e` spends about 10 s
 * on War and Peace's 160,000-character test split. Run on the server's thread, that would stall
 * every other request. So matching runs in one worker thread
 * (regex-worker.mjs), one job at a time, and a job still running at the limit
 * is stopped by terminating the worker (a fresh one starts for the next job)
 * and refused as "pattern_too_slow".
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { REGEX_TIME_LIMIT_MS } from "../api/limits.ts";
import { codePointIndexer, compileRegex, RegexError, signalFromMatches, toCodePointSpans, type RegexMode, type RegexSignal } from "./regex.ts";

/**
 * The worker's file, found at run time: under the working directory (the repo
 * root, where the server runs; a bundled module's own location is inside
 * .next/) or beside this module (the CLI from source, tests, and the compiled
 * CLI, whose build copies it into .build/cli/). Not through PROJECT_ROOT: the
 * app's bundler rewrites a path it can resolve at build time into a module
 * reference, which then fails at run time.
 */
function workerFile(): string {
  const candidates = [path.join(process.cwd(), "lib", "search", "regex-worker.mjs"), path.join(import.meta.dirname ?? ".", "regex-worker.mjs")];
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error(`the regex worker is missing (looked for ${candidates.join(" and ")})`);
  return found;
}

interface Running {
  worker: Worker;
  /** Resolves once the worker has loaded re2js (its first message), so start-up does not count against a job's time. */
  ready: Promise<void>;
}

let current: Running | null = null;
let nextId = 1;
/** Jobs run one after another: each waits for the previous one to settle. */
let queue: Promise<unknown> = Promise.resolve();

function start(): Running {
  const worker = new Worker(workerFile());
  worker.unref(); // an idle worker must not keep the CLI alive
  const ready = new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the regex worker exited while starting (code ${code})`)));
  });
  ready.catch(() => {}); // reported to the job that awaits it
  const run = { worker, ready };
  // Always listening: an "error" event with no listener would crash the process.
  // A running job hears about it through its own listeners.
  worker.on("error", () => {});
  worker.once("exit", () => {
    if (current === run) current = null;
  });
  return run;
}

async function runJob(patterns: string[], text: string, limitMs: number): Promise<Int32Array[]> {
  const run = (current ??= start());
  await run.ready;
  const { worker } = run;
  const id = nextId++;
  return new Promise<Int32Array[]>((resolve, reject) => {
    const finish = () => {
      clearTimeout(timer);
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      worker.unref();
    };
    const onMessage = (msg: { id: number; offsets?: Int32Array[]; error?: string }) => {
      if (msg.id !== id) return;
      finish();
      if (msg.offsets) resolve(msg.offsets);
      else reject(new Error(`regex worker: ${msg.error}`));
    };
    const onError = (err: Error) => {
      finish();
      reject(err);
    };
    const onExit = (code: number) => {
      finish();
      reject(new Error(`the regex worker stopped (exit code ${code})`));
    };
    const timer = setTimeout(() => {
      finish();
      if (current === run) current = null;
      void worker.terminate();
      const chars = text.length.toLocaleString("en-US");
      reject(
        new RegexError(
          `the pattern took longer than ${limitMs / 1000} s to match over this recording's ${chars} characters and was stopped: ` +
            "simplify it (long counted repeats such as .{0,100} or [a-z]{1,50} are what make a pattern slow)",
          "pattern_too_slow",
        ),
      );
    }, limitMs);
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    worker.ref();
    worker.postMessage({ id, patterns, text });
  });
}

/**
 * Flat UTF-16 match offsets of each pattern over text (see regex-find.mjs),
 * or a RegexError "pattern_too_slow" when matching them all takes over limitMs.
 * The patterns must compile (check them with compileRegex first).
 */
export function matchWithTimeLimit(patterns: string[], text: string, limitMs = REGEX_TIME_LIMIT_MS): Promise<Int32Array[]> {
  const job = queue.then(() => runJob(patterns, text, limitMs));
  queue = job.catch(() => {});
  return job;
}

/**
 * regexSignal (regex.ts), matched in the worker under the time limit. Invalid
 * patterns are refused here, before any matching, with the same messages.
 */
export async function regexSignalWithin(
  pattern: string,
  mode: RegexMode,
  chars: readonly string[],
  from: number,
  opts: { close?: string; joined?: string; limitMs?: number } = {},
): Promise<RegexSignal> {
  compileRegex(pattern);
  if (mode === "depth") {
    if (!opts.close) throw new RegexError("depth mode needs a closing pattern (close)");
    compileRegex(opts.close);
  }
  const text = opts.joined ?? chars.join("");
  const [found, closing] = await matchWithTimeLimit(mode === "depth" ? [pattern, opts.close!] : [pattern], text, opts.limitMs);
  const cp = codePointIndexer(text);
  return signalFromMatches(toCodePointSpans(found, cp), closing ? toCodePointSpans(closing, cp) : [], mode, chars, from);
}
