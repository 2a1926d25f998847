import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURE_MODEL_DIR, FIXTURE_MODEL_ID } from "../testing/throwaway-store.ts";
import { listUnrecordedModels } from "./list-unrecorded-models.ts";

const dir = mkdtempSync(path.join(tmpdir(), "cellscope-unrecorded-"));
const saved = process.env.CELLSCOPE_MODELS;
process.env.CELLSCOPE_MODELS = dir;
afterAll(() => {
  if (saved === undefined) delete process.env.CELLSCOPE_MODELS;
  else process.env.CELLSCOPE_MODELS = saved;
});

describe("models in the models folder that the store has not recorded", () => {
  it("lists them with what they are, skips the recorded ones, and says why a broken one cannot be read", () => {
    cpSync(FIXTURE_MODEL_DIR, path.join(dir, FIXTURE_MODEL_ID), { recursive: true });
    mkdirSync(path.join(dir, "broken"));
    writeFileSync(path.join(dir, "broken", "model.json"), "{ not json");
    mkdirSync(path.join(dir, "not-a-model"));
    expect(listUnrecordedModels(new Set())).toEqual([
      { folder: "broken", id: null, summary: null, problem: expect.stringMatching(/model\.json is not valid JSON/) },
      { folder: FIXTURE_MODEL_ID, id: FIXTURE_MODEL_ID, summary: "2×64 lstm, warpeace" },
    ]);
    expect(listUnrecordedModels(new Set([FIXTURE_MODEL_ID])).map((u) => u.folder)).toEqual(["broken"]);
  });
});
