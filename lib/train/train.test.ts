import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../model/backend.ts";
import { loadModel } from "../model/model-file.ts";
import { paramNames } from "../model/params.ts";
import { readCheckpoint } from "./checkpoint.ts";
import { historyStride, MAX_HISTORY_POINTS, thinHistory, train } from "./train.ts";
import { drawTrainingSample } from "./train-samples.ts";
import { cellByName } from "../model/cells.ts";

const root = mkdtempSync(path.join(tmpdir(), "cellscope-train-"));
const corpusFile = path.join(root, "tiny.txt");
// A small real text: the first 12 kB of War and Peace.
writeFileSync(corpusFile, readFileSync(path.resolve(import.meta.dirname, "../../corpora/warpeace.txt")).subarray(0, 12000));

// Samples over training cost a few hundred ms each: only the test of them keeps them.
const small = { corpus: corpusFile, layers: 2, hidden: 32, batch: 8, seq: 20, dropout: 0.1, epochs: 50, validMinutes: 1e6, samples: false };

beforeAll(async () => {
  await initBackend("wasm");
});

describe("training", () => {
  it("overfits a tiny text to near-zero loss", async () => {
    const tinyFile = path.join(root, "abc.txt");
    writeFileSync(tinyFile, "hello world, the quick brown fox jumps over the lazy dog. ".repeat(12));
    const run = train({ corpus: tinyFile, layers: 1, hidden: 64, batch: 4, seq: 25, dropout: 0, epochs: 150, lr: 1e-2, out: path.join(root, "overfit"), samples: false });
    const res = await run.done;
    // The text is periodic; a model that learned it predicts almost every character surely.
    expect(res.bestValidNats).not.toBeNull();
    const meta = loadModel(run.dir).meta;
    const lastTrain = meta.training.history.train.at(-1)!.loss;
    expect(lastTrain).toBeLessThan(0.05);
  }, 300_000);

  it("resumes from a checkpoint to exactly the weights of an uninterrupted run", async () => {
    const straight = train({ ...small, out: path.join(root, "straight"), maxIterations: 12 });
    await straight.done;

    const dir = path.join(root, "resumed");
    const first = train({ ...small, out: dir, maxIterations: 5 });
    await first.done;
    const ck = readCheckpoint(path.join(dir, "checkpoint.ckpt"));
    expect((ck.header.progress as { iteration: number }).iteration).toBe(5);
    const second = train({ ...small, out: dir, maxIterations: 12 }, { resume: true });
    const r = await second.done;
    expect(r.iterations).toBe(12);

    const a = readCheckpoint(path.join(root, "straight", "checkpoint.ckpt")).data;
    const b = readCheckpoint(path.join(dir, "checkpoint.ckpt")).data;
    for (const k of paramNames({ cell: "lstm", layers: 2 })) expect(Array.from(b[k]), k).toEqual(Array.from(a[k]));
  }, 120_000);

  it("resumes a GRU trained with Adagrad exactly too: its own weights, optimizer sums and state parts are in the checkpoint", async () => {
    const gru = { ...small, cell: "gru" as const, optimizer: "adagrad" as const, lr: 0.05, layers: 1 };
    const straight = train({ ...gru, out: path.join(root, "gru-straight"), maxIterations: 8 });
    await straight.done;
    const dir = path.join(root, "gru-resumed");
    await train({ ...gru, out: dir, maxIterations: 3 }).done;
    const ck = readCheckpoint(path.join(dir, "checkpoint.ckpt"));
    const names = ck.header.specs.map((s) => s.name);
    expect(names).toContain("rnn.0.bhn");
    expect(names).toContain("v.rnn.0.bhn");
    expect(names).toContain("state.0.h");
    expect(names).not.toContain("state.0.c");
    const r = await train({ ...gru, out: dir, maxIterations: 8 }, { resume: true }).done;
    expect(r.iterations).toBe(8);
    const a = readCheckpoint(path.join(root, "gru-straight", "checkpoint.ckpt")).data;
    const b = readCheckpoint(path.join(dir, "checkpoint.ckpt")).data;
    const all = [...paramNames({ cell: "gru", layers: 1 }).flatMap((k) => [k, `m.${k}`, `v.${k}`]), "state.0.h"];
    for (const k of all) expect(Array.from(b[k]), k).toEqual(Array.from(a[k]));
    // The update moved the recurrent bias of n away from its zero start.
    expect(a["rnn.0.bhn"].some((x) => x !== 0)).toBe(true);
    expect(() => train({ ...gru, cell: "lstm", out: dir }, { resume: true })).toThrow(/trained with --cell gru, not lstm/);
    expect(() => train({ ...gru, optimizer: "adam", out: dir }, { resume: true })).toThrow(/trained with --optimizer adagrad, not adam/);
  }, 120_000);

  it("resumes min-char-rnn's recipe exactly from --resume alone: Adagrad, the clip by value and the summed loss come from the checkpoint", async () => {
    const recipe = { ...small, cell: "rnn" as const, layers: 1, batch: 1, seq: 25, dropout: 0, optimizer: "adagrad" as const, lr: 0.1, lrDecay: 1, clipMode: "value" as const, loss: "sum" as const, weightInit: "normal:0.01" };
    await train({ ...recipe, out: path.join(root, "mcr-straight"), maxIterations: 8 }).done;
    const dir = path.join(root, "mcr-resumed");
    const init = path.join(root, "mcr-init.json");
    await train({ ...recipe, out: dir, maxIterations: 3, exportInit: init }).done;
    expect(existsSync(init)).toBe(true);
    rmSync(init);
    // Nothing but the corpus, the folder and the length: the rest is the checkpoint's.
    await train({ corpus: corpusFile, out: dir, maxIterations: 8 }, { resume: true }).done;
    const a = readCheckpoint(path.join(root, "mcr-straight", "checkpoint.ckpt")).data;
    const b = readCheckpoint(path.join(dir, "checkpoint.ckpt")).data;
    for (const k of [...paramNames({ cell: "rnn", layers: 1 }).flatMap((k) => [k, `v.${k}`]), "state.0.h"]) expect(Array.from(b[k]), k).toEqual(Array.from(a[k]));
    // --export-init belongs to the run that asked for it: a resumed run does not write the file again.
    expect(existsSync(init)).toBe(false);
  }, 120_000);

  it("stops on request with a checkpoint, and refuses to resume a different configuration", async () => {
    const dir = path.join(root, "stopped");
    const run = train({ ...small, out: dir });
    setTimeout(() => run.stop(), 300);
    const r = await run.done;
    expect(r.stopped).toBe(true);
    expect(statSync(path.join(dir, "checkpoint.ckpt")).size).toBeGreaterThan(0);
    expect(() => train({ ...small, hidden: 64, out: dir }, { resume: true })).toThrow(/trained with --hidden 32, not 64/);
    expect(() => train({ ...small, batch: 4, out: dir }, { resume: true })).toThrow(/--batch 8, not 4/);
  }, 120_000);

  it("refuses a truncated or corrupted checkpoint, saying so", async () => {
    const dir = path.join(root, "corrupt");
    await train({ ...small, out: dir, maxIterations: 2 }).done;
    const file = path.join(dir, "checkpoint.ckpt");
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(file, bytes);
    expect(() => train({ ...small, out: dir }, { resume: true })).toThrow(/truncated or corrupt/);
    truncateSync(file, 100);
    expect(() => train({ ...small, out: dir }, { resume: true })).toThrow(/truncated|corrupt/);
  }, 120_000);

  it("refuses a corpus shorter than one batch and impossible sizes", () => {
    const shortFile = path.join(root, "short.txt");
    writeFileSync(shortFile, "too short");
    expect(() => train({ corpus: shortFile, batch: 50, seq: 100 })).toThrow(/too short/);
    expect(() => train({ corpus: corpusFile, hidden: 5000 })).toThrow(/--hidden/);
    expect(() => train({ corpus: corpusFile, layers: 0 })).toThrow(/--layers/);
    // Named as the command line spells them.
    expect(() => train({ corpus: corpusFile, lrDecay: 2 })).toThrow(/--lr-decay:/);
    expect(() => train({ corpus: corpusFile, loss: "avg" as "sum" })).toThrow(/--loss: must be one of mean, sum/);
    expect(() => train({ corpus: corpusFile, weightInit: "normal" })).toThrow(/--weight-init: must be uniform:SCALE or normal:SCALE/);
  });

  it("refuses an --out folder whose name the explorer could not serve as a model id", () => {
    for (const bad of ["my model", ".hidden", "a/../b?", "x".repeat(200), "naïve"]) {
      expect(() => train({ ...small, out: path.join(root, bad) }), bad).toThrow(/cannot be a model id/);
    }
  });

  it("keeps samples over training in model.json: at the early iterations and each epoch's end, the same draw from the same weights, kept through a resume", async () => {
    // 12 kB, batch 8 × 20: an epoch of E = 60-odd iterations, so iteration 100 falls inside the second one.
    const dir = path.join(root, "samples");
    const opts = { ...small, layers: 1, epochs: 3, samples: true, out: dir };
    await train({ ...opts, maxIterations: 90 }).done;
    const first = loadModel(dir).meta.training.samples;
    expect(first).toHaveLength(1); // the first epoch's end
    const E = first[0].iteration;
    expect(E > 50 && E < 90).toBe(true);
    expect(first[0].validNats).toBeCloseTo(loadModel(dir).meta.training.history.valid[0].loss, 10);
    const r = await train({ ...opts, maxIterations: 1000 }, { resume: true }).done;
    expect(r.iterations).toBe(3 * E);
    const m = loadModel(dir);
    const samples = m.meta.training.samples;
    expect(samples.map((s) => s.iteration)).toEqual([E, 100, 2 * E, 3 * E]);
    expect(samples.filter((s) => s.validNats !== undefined).map((s) => s.iteration)).toEqual([E, 2 * E, 3 * E]);
    for (const s of samples) {
      expect(Array.from(s.text)).toHaveLength(200);
      expect(s.loss).toBeGreaterThan(0);
    }
    // Text changes as the weights do; the draw is fixed, so the same weights give the same text.
    expect(new Set(samples.map((s) => s.text)).size).toBe(samples.length);
    const best = samples.find((s) => s.validNats === m.meta.training.bestValidNats)!;
    expect(drawTrainingSample(cellByName(m.meta.config.cell), m.params, m.meta.vocab)).toBe(best.text);
  }, 180_000);

  it("starts from the recipe asked for: the weights' scale and the forget gate's bias", async () => {
    const dir = path.join(root, "recipe");
    await train({ ...small, layers: 1, out: dir, maxIterations: 1, weightInit: "uniform:0.01", forgetBias: -2, lr: 1e-9 }).done;
    const ck = readCheckpoint(path.join(dir, "checkpoint.ckpt")).data;
    const H = 32;
    const wx = ck["rnn.0.Wx"], b = ck["rnn.0.b"];
    // One step of lr 1e-9 moves nothing visible: the weights are still the initial ones.
    expect(Math.max(...wx.map(Math.abs))).toBeLessThanOrEqual(0.01 + 1e-6);
    expect(Math.max(...wx.map(Math.abs))).toBeGreaterThan(0.009);
    expect(Array.from(b.subarray(H, 2 * H)).every((x) => Math.abs(x + 2) < 1e-6)).toBe(true);
    expect(Array.from(b.subarray(0, H)).every((x) => Math.abs(x) < 1e-6)).toBe(true);
    expect(() => train({ ...small, cell: "gru", out: path.join(root, "recipe-gru"), forgetBias: 1 })).toThrow(/forget gate/);
  }, 60_000);

  it("zeroes the carried state every K batches when asked", async () => {
    const stateAfter = async (resetEvery: number) => {
      const dir = path.join(root, `reset-${resetEvery}`);
      await train({ ...small, layers: 1, out: dir, maxIterations: 4, resetEvery }).done;
      const ck = readCheckpoint(path.join(dir, "checkpoint.ckpt")).data;
      return Math.max(...ck["state.0.h"].map(Math.abs), ...ck["state.0.c"].map(Math.abs));
    };
    // Stopped after batch 4: reset after it with K = 2, carried on with K = 3.
    expect(await stateAfter(2)).toBe(0);
    expect(await stateAfter(3)).toBeGreaterThan(0.01);
  }, 60_000);

  it("keeps the best-validation weights as the model, with its history", async () => {
    const dir = path.join(root, "history");
    await train({ ...small, epochs: 2, out: dir }).done;
    const m = loadModel(dir).meta;
    expect(m.training.history.valid.length).toBe(2);
    expect(m.training.bestValidNats).toBe(Math.min(...m.training.history.valid.map((v) => v.loss)));
  }, 120_000);
});

describe("starting from a model", () => {
  it("continues a model's epochs and history from its weights alone", async () => {
    const base = path.join(root, "init-base");
    await train({ ...small, epochs: 1, out: base }).done;
    const next = path.join(root, "init-next");
    const run = train({ ...small, epochs: 2, out: next, init: base });
    await run.done;
    const m = loadModel(next).meta;
    expect(m.training.history.valid.length).toBe(2);
    expect(m.training.history.valid[0]).toEqual(loadModel(base).meta.training.history.valid[0]);
    expect(() => train({ ...small, hidden: 64, out: path.join(root, "x"), init: base })).toThrow(/is a 2x32 lstm, not 2x64/);
    // --epochs counts from the first epoch: asking for no more than the model has is refused, saying so, and writes nothing.
    const none = path.join(root, "init-none");
    expect(() => train({ ...small, epochs: 1, out: none, init: base })).toThrow(/nothing to train: .*init-base has trained 1 epochs .*--epochs 1 ends there.*e\.g\. --epochs 3/);
    expect(existsSync(path.join(none, "checkpoint.ckpt"))).toBe(false);
    expect(() => train({ ...small, epochs: 2, out: next }, { resume: true })).toThrow(/nothing to train: the checkpoint in .*init-next has trained 2 epochs/);
  }, 120_000);
});

describe("the training curve kept in model.json", () => {
  it("stays under MAX_HISTORY_POINTS however long the run: every other point goes, and the spacing doubles", () => {
    let h: { iteration: number; epoch: number; loss: number }[] = [];
    for (let it = 1; it <= 1_000_000; it++) {
      if (it % historyStride(h) === 0) {
        h.push({ iteration: it, epoch: it / 1000, loss: 1 / it });
        h = thinHistory(h);
      }
    }
    expect(h.length).toBeLessThanOrEqual(MAX_HISTORY_POINTS);
    expect(h.length).toBeGreaterThan(MAX_HISTORY_POINTS / 2);
    // Evenly spaced, increasing, up to the end of the run.
    const gaps = new Set(h.slice(1).map((p, i) => p.iteration - h[i].iteration));
    expect(gaps.size).toBe(1);
    expect(1_000_000 - h.at(-1)!.iteration).toBeLessThan([...gaps][0]);
  });
});
