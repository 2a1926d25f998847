/**
 * `cellscope import` and `export-model` as a user runs them: a PyTorch GRU
 * (lib/model/fixtures, made by scripts/torch-models.py) imported, scored,
 * recorded into a real store and searched; exported and imported again to the
 * same numbers; and the user's mistakes as one line each.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectCleanError, runCliHere } from "../testing/cli-here.ts";

const bin = path.resolve(import.meta.dirname, "../../bin/cellscope.js");
const fixtures = path.resolve(import.meta.dirname, "../model/fixtures");
const root = mkdtempSync(path.join(tmpdir(), "cellscope-import-"));
const env = { ...process.env, CELLSCOPE_MODELS: path.join(root, "models"), CELLSCOPE_DB: path.join(root, "store.db") };
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env, cwd: root });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const cliHere = (...args: string[]) => runCliHere(args, { models: env.CELLSCOPE_MODELS, cwd: root });

const gru = JSON.parse(readFileSync(path.join(fixtures, "torch-gru-embed.json"), "utf8")) as { text: string; meanNats: number; nats: number[] };
// A small corpus the fixture's vocabulary covers (made by repeating its text): its training split starts with that text.
const corpus = path.join(root, "citizens.txt");
writeFileSync(corpus, gru.text.repeat(30));

describe("cellscope import / export-model", () => {
  it("imports a PyTorch GRU that scores what PyTorch scored, records it and searches it", () => {
    const imp = cli("import", path.join(fixtures, "torch-gru-embed.safetensors"), "--corpus", corpus, "--id", "citizens-gru");
    expect(imp.code, imp.err).toBe(0);
    expect(imp.out).toMatch(/as citizens-gru \(models\/citizens-gru\): 2-layer GRU, 32 units, 35 characters, embedding embed\.weight \[35, 12\]/);
    // The text once, from a zero state: PyTorch's own mean over the same characters.
    const e = cli("eval", "--model", "citizens-gru", "--split", "train", "--chars", String(gru.nats.length), "--streams", "1", "--warmup", "0", "--json");
    expect(e.code, e.err).toBe(0);
    expect(JSON.parse(e.out).nats).toBeCloseTo(gru.meanNats, 4);

    const rec = cli("record", "--model", "citizens-gru", "--gates");
    expect(rec.code, rec.err).toBe(0);
    const s = cli("search", "--model", "citizens-gru", "--regex", "[A-Z]", "--limit", "3", "--json");
    expect(s.code, s.err).toBe(0);
    const results = JSON.parse(s.out).results as { unit: string; r: number }[];
    expect(results).toHaveLength(3);
    expect(results[0].unit).toMatch(/^[hrz]:[01]:\d+$/);
  }, 120_000);

  it("exports the PyTorch layout, which imports again to the same losses", () => {
    const out = path.join(root, "roundtrip.safetensors");
    const x = cli("export-model", "--model", "citizens-gru", "--format", "safetensors", "--out", out);
    expect(x.code, x.err).toBe(0);
    expect(x.out).toMatch(/nn\.GRU\(35, 32, 2\) as rnn\.\*, nn\.Linear\(32, 35\) as decoder\.\*/);
    const again = cli("import", out, "--corpus", corpus, "--id", "citizens-gru-2");
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/one-hot input, decoder decoder/);
    const score = (id: string) => JSON.parse(cli("eval", "--model", id, "--split", "valid", "--json").out).nats as number;
    expect(score("citizens-gru-2")).toBeCloseTo(score("citizens-gru"), 5);
  }, 120_000);

  it("says in one line what is wrong", async () => {
    const onehot = path.join(fixtures, "torch-lstm-onehot.safetensors");
    expectCleanError(await cliHere("import", onehot, "--corpus", corpus), /has no vocabulary: pass --vocab FILE\.json/);
    expectCleanError(await cliHere("import", onehot), /import needs --corpus NAME\|FILE/);
    expectCleanError(await cliHere("import", onehot, "--corpus", corpus, "--vocab", path.join(fixtures, "torch-gru-embed.json")), /--vocab .*: expected array/);
    expectCleanError(await cliHere("import", onehot, "--corpus", "warpeace", "--vocab", path.join(fixtures, "torch-lstm-onehot.vocab.json")), /cannot read corpus warpeace: character .+ at \d+ is not in the model's vocabulary/);
    expectCleanError(await cliHere("import", path.join(fixtures, "torch-gru-embed.safetensors"), "--corpus", corpus, "--id", "citizens-gru"), /models\/citizens-gru exists: pick another --id, or --force/);
    expectCleanError(await cliHere("import", path.join(fixtures, "torch-gru-embed.safetensors"), "--corpus", corpus, "--id", "../x"), /--id "\.\.\/x": use letters, digits/);
    expectCleanError(await cliHere("import", path.join(fixtures, "torch-gru-embed.json"), "--corpus", corpus), /is not a safetensors file/);
    expectCleanError(await cliHere("export-model", "--model", "citizens-gru", "--format", "onnx"), /--format must be safetensors, got "onnx"/);
  }, 120_000);
});
