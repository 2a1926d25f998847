/**
 * Every captioner shipped under models/ (and the e2e fixture) still writes the
 * captions its captioner.json says it was scored on: `test` holds the true
 * rate and BLEU-4 of its greedy captions of the test scenes, measured when it
 * was committed. A changed engine, scene generator, grammar or weights file
 * shows up here. The tolerance is a scene in 200: two products that round
 * differently (the native and the wasm one) may break a near tie.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../model/backend.ts";
import { loadCaptioner } from "./captioner-file.ts";
import { scoreCaptioner } from "./train-captioner.ts";

const root = path.resolve(import.meta.dirname, "../..");
const dirs = ["models", "e2e/fixtures/models"]
  .map((d) => path.join(root, d))
  .filter(existsSync)
  .flatMap((d) => readdirSync(d).map((m) => path.join(d, m)))
  .filter((d) => existsSync(path.join(d, "captioner.json")));

beforeAll(async () => {
  await initBackend("wasm");
});

describe("shipped captioners", () => {
  it("there is at least one", () => {
    expect(dirs.length).toBeGreaterThan(0);
  });
  for (const dir of dirs) {
    it(`${path.relative(root, dir)} reproduces its stored test scores`, () => {
      const { meta, model } = loadCaptioner(dir);
      expect(meta.test, "a shipped captioner carries its test scores").toBeDefined();
      const seed = Number((meta.training.options as { seed?: number }).seed ?? 1);
      const s = scoreCaptioner(model, "test", meta.test!.scenes, seed);
      expect(Math.abs(s.trueRate - meta.test!.trueRate)).toBeLessThanOrEqual(0.005);
      expect(Math.abs(s.bleu4 - meta.test!.bleu4)).toBeLessThanOrEqual(0.005);
      if (meta.testBeam) {
        const b = scoreCaptioner(model, "test", meta.testBeam.scenes, seed, meta.testBeam.beam);
        expect(Math.abs(b.trueRate - meta.testBeam.trueRate)).toBeLessThanOrEqual(0.005);
        expect(Math.abs(b.bleu4 - meta.testBeam.bleu4)).toBeLessThanOrEqual(0.005);
      }
    }, 240_000);
  }
});
