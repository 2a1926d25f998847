import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const bin = path.resolve(import.meta.dirname, "../../bin/cellscope.js");
const root = mkdtempSync(path.join(tmpdir(), "cellscope-cli-"));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, CELLSCOPE_MODELS: root } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A user error: one line, non-zero exit, no stack trace. */
function expectCleanError(r: ReturnType<typeof cli>, pattern: RegExp) {
  expect(r.code).not.toBe(0);
  expect(r.err).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(r.err.trim().split("\n").length).toBe(1);
}

describe("cellscope CLI", () => {
  it("trains, evaluates and samples a small model end to end", () => {
    const corpus = path.join(root, "mini.txt");
    writeFileSync(corpus, "the cat sat on the mat. ".repeat(300));
    const out = path.join(root, "mini");
    const t = cli("train", "--corpus", corpus, "--layers", "1", "--hidden", "32", "--batch", "4", "--seq", "20", "--epochs", "2", "--out", out);
    expect(t.code, t.err).toBe(0);
    expect(t.err).toMatch(/validation [\d.]+ nats\/char/);
    const e = cli("eval", "--model", out, "--json");
    expect(e.code, e.err).toBe(0);
    const j = JSON.parse(e.out);
    expect(j).toMatchObject({ model: "mini", split: "test" });
    expect(j.chars).toBe(Math.floor(7200 * 0.05) - 1);
    expect(j.bitsPerChar).toBeCloseTo(j.nats / Math.LN2, 6);
    const s = cli("sample", "--model", out, "--length", "40", "--seed", "7", "--prime", "the ");
    expect(s.code, s.err).toBe(0);
    expect(s.out.startsWith("the ")).toBe(true);
    expect(s.out.trimEnd().length).toBeGreaterThanOrEqual(40);
    // Same seed, same text.
    expect(cli("sample", "--model", out, "--length", "40", "--seed", "7", "--prime", "the ").out).toBe(s.out);
  }, 120_000);

  it("reports bad input as one clear line", () => {
    expectCleanError(cli("train", "--corpus", "nosuch"), /unknown corpus "nosuch"/);
    expectCleanError(cli("train", "--corpus", "warpeace", "--hidden", "lots"), /--hidden must be a number/);
    expectCleanError(cli("train", "--corpus", "warpeace", "--hidden", "4096"), /--hidden: must be 32 to 1024/);
    expectCleanError(cli("eval", "--model", "nosuch"), /unknown model "nosuch"/);
    expectCleanError(cli("sample", "--model", "nosuch"), /unknown model/);
    expectCleanError(cli("train", "--bogus"), /Unknown option '--bogus'/);
    const unknown = cli("frobnicate");
    expect(unknown.code).toBe(2);
    expect(unknown.err.split("\n")[0]).toBe('cellscope: unknown command "frobnicate"');
  }, 60_000);
});
