/**
 * The CLI run in the test's own process (lib/cli/main.ts, what
 * bin/cellscope.js runs, minus the process start and the tfjs load), for the
 * many bad-input cases; and the check that a mistake is reported cleanly.
 */
import { expect, vi } from "vitest";
import { main } from "../cli/main.ts";

/** Runs `cellscope ARGS` with CELLSCOPE_MODELS = `models` (and in `cwd`, if given); returns the exit code and stderr. */
export async function runCliHere(args: string[], { models, cwd }: { models: string; cwd?: string }): Promise<{ code: number; out: string; err: string }> {
  let err = "";
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  const saved = { models: process.env.CELLSCOPE_MODELS, cwd: process.cwd() };
  process.env.CELLSCOPE_MODELS = models;
  if (cwd) process.chdir(cwd);
  try {
    return { code: await main(args), out: "", err };
  } finally {
    spy.mockRestore();
    process.chdir(saved.cwd);
    if (saved.models === undefined) delete process.env.CELLSCOPE_MODELS;
    else process.env.CELLSCOPE_MODELS = saved.models;
  }
}

/** A user error: one line, non-zero exit, no stack trace. */
export function expectCleanError(r: { code: number | null; err: string }, pattern: RegExp): void {
  expect(r.code).not.toBe(0);
  expect(r.err).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(r.err.trim().split("\n").length).toBe(1);
}
