import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectCleanError, runCliHere } from "../testing/cli-here.ts";

const bin = path.resolve(import.meta.dirname, "../../bin/cellscope.js");
const root = mkdtempSync(path.join(tmpdir(), "cellscope-cli-"));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, CELLSCOPE_MODELS: root } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const cliHere = (...args: string[]) => runCliHere(args, { models: root });

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
    // One state carried through the split scores the same characters, in one stream.
    const one = JSON.parse(cli("eval", "--model", out, "--json", "--streams", "1").out);
    expect(j.streams).toBeGreaterThan(1);
    expect(one).toMatchObject({ streams: 1, chars: j.chars });
    expect(Math.abs(one.nats - j.nats)).toBeLessThan(0.25);
    expectCleanError(cli("eval", "--model", out, "--streams", "0"), /--streams: must be at least 1/);
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
    expectCleanError(cli("train", "--corpus", "shakespeare", "--clip-mode", "elementwise"), /--clip-mode: must be one of norm, value/);
    expectCleanError(cli("eval", "--model", "nosuch"), /unknown model "nosuch"/);
    expectCleanError(cli("sample", "--model", "nosuch"), /unknown model/);
    expectCleanError(cli("train", "--bogus"), /Unknown option '--bogus'/);
    const unknown = cli("frobnicate");
    expect(unknown.code).toBe(2);
    expect(unknown.err.split("\n")[0]).toBe('cellscope: unknown command "frobnicate"');
  }, 60_000);

  it("reads --signal or --regex the same way in search, probe and effect, naming the flag at fault", async () => {
    for (const cmd of ["search", "probe", "effect"]) {
      expectCleanError(await cliHere(cmd, "--model", "x"), new RegExp(`^cellscope ${cmd}: error: ${cmd} needs exactly one of --regex or --signal`));
      expectCleanError(await cliHere(cmd, "--model", "x", "--regex", "a", "--signal", "is_space"), /exactly one of --regex or --signal/);
      expectCleanError(await cliHere(cmd, "--model", "x", "--signal", "nosuch"), new RegExp(`^cellscope ${cmd}: error: --signal: unknown signal`));
    }
    expectCleanError(await cliHere("search", "--model", "x", "--regex", "a", "--mode", "sideways"), /^cellscope search: error: --mode: mode must be one of inside, start, end, after, depth/);
    expectCleanError(await cliHere("search", "--model", "x", "--signal", "is_space", "--limit", "0"), /^cellscope search: error: --limit: limit must be at least 1/);
    expectCleanError(await cliHere("effect", "--model", "x", "--regex", "a", "--exact", "99"), /^cellscope effect: error: --exact: /);
  });

  it("refuses a bad corpus file given to train --corpus as one clear line", async () => {
    const bad = (name: string, bytes: string | Uint8Array) => {
      const f = path.join(root, name);
      writeFileSync(f, bytes);
      return cliHere("train", "--corpus", f, "--hidden", "32", "--out", path.join(root, `out-${name}`));
    };
    expectCleanError(await bad("empty.txt", ""), /empty\.txt is empty/);
    expectCleanError(await bad("nul.txt", new Uint8Array([104, 105, 0, 10, 104, 105])), /nul\.txt looks binary \(it contains NUL characters\)/);
    expectCleanError(await bad("latin1.txt", new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a])), /latin1\.txt is not valid UTF-8 text/);
    expectCleanError(await bad("short.txt", "shorter than one sequence"), /too short/);
    expectCleanError(await cliHere("train", "--corpus", path.join(root, "missing.txt")), /corpus file not found/);
  }, 60_000);

  it("refuses a truncated model, wrong weight shapes and a vocabulary that does not match its corpus as one clear line", async () => {
    const copy = (name: string) => {
      const dir = path.join(root, name);
      cpSync(path.resolve(import.meta.dirname, "../../e2e/fixtures/models/warpeace-2x64"), dir, { recursive: true, filter: (f) => !f.endsWith(".ckpt") });
      return dir;
    };
    const truncated = copy("truncated");
    truncateSync(path.join(truncated, "weights.bin"), 1000);
    expectCleanError(await cliHere("sample", "--model", truncated, "--length", "5"), /truncated or corrupt/);

    const reshaped = copy("reshaped");
    const file = path.join(reshaped, "model.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    json.weightsManifest[0].weights[0].shape = [7, 7];
    writeFileSync(file, JSON.stringify(json));
    expectCleanError(await cliHere("sample", "--model", reshaped, "--length", "5"), /has shape \[7,7\] but the config needs/);

    const otherVocab = copy("other-vocab");
    const vfile = path.join(otherVocab, "model.json");
    const vjson = JSON.parse(readFileSync(vfile, "utf8"));
    vjson.vocab[vjson.vocab.length - 1] = "\u00e9";
    writeFileSync(vfile, JSON.stringify(vjson));
    expectCleanError(await cliHere("eval", "--model", otherVocab), /cannot read corpus warpeace: character .* at \d+ is not in the model's vocabulary/);
  }, 60_000);
});

describe("output piped into a reader that stops early", () => {
  it("stops quietly, exit 0, when the reader closes the pipe (`cellscope sample … | head`)", async () => {
    const child = spawn(process.execPath, [bin, "sample", "--model", "shakespeare-rnn-1x100", "--length", "20000", "--seed", "1"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(err).toBe("");
    expect(code).toBe(0);
  }, 120_000);
});

describe("the compiled CLI (.build/cli, scripts/build-cli.mjs)", () => {
  const repo = path.resolve(import.meta.dirname, "../..");
  const run = (env: Record<string, string>, ...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, CELLSCOPE_DEBUG: "1", ...env } });

  it("runs while no source it was built from has changed, and answers as the sources do; after an edit, the sources run", () => {
    expect(spawnSync(process.execPath, [path.join(repo, "scripts", "build-cli.mjs")], { encoding: "utf8" }).status).toBe(0);
    const compiled = run({}, "--help");
    expect(compiled.stderr).toMatch(/running the compiled CLI/);
    const source = run({ CELLSCOPE_FROM_SOURCE: "1" }, "--help");
    expect(source.stderr).toMatch(/running the sources/);
    expect(compiled.stdout).toBe(source.stdout);
    expect(compiled.stdout).toMatch(/^ {2}search {2,}rank a model's units/m);
    // A command's own help and its errors come from the same code either way.
    expect(run({}, "search", "--help").stdout).toBe(run({ CELLSCOPE_FROM_SOURCE: "1" }, "search", "--help").stdout);
    // The same one-line error either way (whether or not this checkout has a store yet).
    const err = run({ CELLSCOPE_DEBUG: "" }, "search", "--model", "nosuch", "--regex", "x").stderr;
    expect(err).toMatch(/^cellscope search: error: [^\n]+\n$/);
    expect(run({ CELLSCOPE_DEBUG: "", CELLSCOPE_FROM_SOURCE: "1" }, "search", "--model", "nosuch", "--regex", "x").stderr).toBe(err);
    // An edited source (a newer mtime) makes the build stale until it is rebuilt.
    const file = path.join(repo, "lib", "cli", "args.ts");
    const { atime, mtime } = statSync(file);
    try {
      utimesSync(file, atime, new Date(Date.now() + 60_000));
      expect(run({}, "--help").stderr).toMatch(/running the sources/);
    } finally {
      utimesSync(file, atime, mtime);
    }
    expect(run({}, "--help").stderr).toMatch(/running the compiled CLI/);
  }, 60_000);
});
