import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../model/backend.ts";
import { loadCaptioner, readCaptionerJson } from "./captioner-file.ts";
import { captionerNamed } from "./captioner.ts";
import { trainCaptioner } from "./train-captioner.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "cellscope-captioner-"));
const small = { cell: "lstm", hidden: 32, features: 8, scenes: 40, batch: 10, epochs: 2, validScenes: 10, testScenes: 10, seed: 3 };

beforeAll(async () => {
  await initBackend("wasm");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const weights = (out: string) => Object.fromEntries(Object.entries(captionerNamed(loadCaptioner(out).model)).map(([k, t]) => [k, Array.from(t.dataSync())]));

describe("training a captioner", () => {
  it("stopped and resumed, ends with the weights of an uninterrupted run, and writes a model that loads", async () => {
    const whole = path.join(dir, "whole"), parts = path.join(dir, "parts");
    const done = await trainCaptioner({ ...small, out: whole });
    expect(done?.training.iterations).toBe(8);
    expect(done?.training.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(done?.test?.scenes).toBe(10);
    // Stop after the 3rd batch (mid-epoch), then go on from the checkpoint.
    let n = 0;
    const first = await trainCaptioner({ ...small, out: parts }, { stopped: () => ++n === 3 });
    expect(first).toBeUndefined();
    const rest = await trainCaptioner({ out: parts }, { resume: true });
    expect(rest?.training.iterations).toBe(8);
    expect(rest?.training.history).toEqual(done?.training.history);
    // Saved is the best epoch by validation in both: the same weights.
    const a = weights(whole), b = weights(parts);
    for (const k of Object.keys(a)) expect(b[k], k).toEqual(a[k]);
    expect(readCaptionerJson(whole).test).toEqual(readCaptionerJson(parts).test);
  }, 240_000);

  it("notices a stop asked for by an event, as Ctrl-C is, between batches", async () => {
    // The flag is set by a timer: it fires only if the loop yields to the event loop between batches.
    let stop = false;
    const timer = setTimeout(() => (stop = true), 50);
    const r = await trainCaptioner({ ...small, epochs: 500, out: path.join(dir, "signal") }, { stopped: () => stop });
    clearTimeout(timer);
    expect(r).toBeUndefined();
    expect(existsSync(path.join(dir, "signal", "checkpoint.ckpt"))).toBe(true);
  }, 120_000);

  it("refuses to resume with a different model, and a file that is not a captioner", async () => {
    await expect(trainCaptioner({ out: path.join(dir, "parts"), hidden: 64 }, { resume: true })).rejects.toThrow(/--hidden 32, not 64/);
    expect(() => readCaptionerJson(dir)).toThrow(/captioner.json is missing/);
  });
});
