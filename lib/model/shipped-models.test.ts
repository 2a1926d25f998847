/**
 * Every model shipped under models/ (and the e2e fixture) still computes the
 * loss recorded with it: its model.json `checks` hold the per-character loss
 * of a slice of its test split, measured by `cellscope eval --save-check`
 * when the model was committed. A changed engine, corpus or weights file
 * shows up here.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "./backend.ts";
import { cellByName } from "./cells.ts";
import { evaluate } from "./evaluate.ts";
import { loadModel, readModelJson } from "./model-file.ts";
import { loadCorpusFor, splitRange } from "../corpus/corpus.ts";

const root = path.resolve(import.meta.dirname, "../..");
const dirs = ["models", "e2e/fixtures/models"]
  .map((d) => path.join(root, d))
  .filter(existsSync)
  .flatMap((d) => readdirSync(d).map((m) => path.join(d, m)))
  .filter((d) => existsSync(path.join(d, "model.json")))
  // A model still in training has no check yet; shipped ones always do (models/README.md).
  .filter((d) => readModelJson(d).meta.checks.length > 0);

beforeAll(async () => {
  await initBackend("wasm");
});

describe("shipped models", () => {
  it("there is at least one with a recorded check", () => {
    expect(dirs.length).toBeGreaterThan(0);
  });
  for (const dir of dirs) {
    it(`${path.relative(root, dir)} reproduces its stored test loss`, async () => {
      const model = loadModel(dir);
      const corpus = loadCorpusFor(model.meta);
      expect(corpus.sha256).toBe(model.meta.corpus.sha256);
      for (const c of model.meta.checks) {
        const range = splitRange(corpus.ids.length, c.split as "test");
        const start = range.start + c.start;
        const r = await evaluate(cellByName(model.meta.config.cell), model.params, corpus.ids, start, start + c.chars + 1);
        expect(r.chars).toBe(c.chars);
        expect(Math.abs(r.nats - c.nats)).toBeLessThan(1e-4);
      }
    }, 120_000);
  }
});
