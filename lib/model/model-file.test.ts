import { mkdtempSync, readFileSync, writeFileSync, truncateSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend.ts";
import { loadModel, saveModel, type ModelJson } from "./model-file.ts";
import { initParams, toNamed, type Params } from "./params.ts";

const root = mkdtempSync(path.join(tmpdir(), "cellscope-model-"));
const config = { cell: "lstm" as const, layers: 2, hidden: 32, vocabSize: 5, dropout: 0 };
const meta: Omit<ModelJson, "weightsManifest"> = {
  format: "cellscope-char-rnn",
  version: 1,
  id: "test-2x32",
  config,
  vocab: ["\n", " ", "a", "b", "c"],
  corpus: { name: "test", sha256: "0".repeat(64), chars: 100 },
  training: { options: {}, iterations: 0, epochs: 0, seconds: 0, bestValidNats: null, history: { train: [], valid: [] }, samples: [] },
  checks: [],
};

function fresh(name: string): string {
  const dir = path.join(root, name);
  cpSync(path.join(root, "good"), dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  await initBackend("wasm");
  saveModel(path.join(root, "good"), meta, initParams(config, 1));
});

describe("model files", () => {
  it("round-trip every weight exactly, in tfjs's weights-manifest layout", async () => {
    const m = loadModel(path.join(root, "good"));
    const want = toNamed(initParams(config, 1) as Params<tf.Tensor, tf.Tensor>);
    const got = toNamed(m.params as Params<tf.Tensor, tf.Tensor>);
    for (const k of Object.keys(want)) expect(Array.from(got[k].dataSync()), k).toEqual(Array.from(want[k].dataSync()));
    // tfjs itself can decode the weights from the manifest.
    const json = JSON.parse(readFileSync(path.join(root, "good", "model.json"), "utf8"));
    const bin = readFileSync(path.join(root, "good", "weights.bin"));
    const decoded = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), json.weightsManifest[0].weights);
    expect(Array.from(decoded["out.Wy"].dataSync())).toEqual(Array.from(want["out.Wy"].dataSync()));
  });

  for (const cell of ["rnn", "gru"] as const) {
    it(`round-trip a ${cell} exactly, its own weights included, and refuse one whose manifest lacks a weight`, () => {
      const cfg = { ...config, cell };
      const dir = path.join(root, cell);
      const params = initParams(cfg, 3);
      saveModel(dir, { ...meta, id: `test-${cell}`, config: cfg }, params);
      const m = loadModel(dir);
      expect(m.meta.config.cell).toBe(cell);
      const want = toNamed(params as Params<tf.Tensor, tf.Tensor>);
      const got = toNamed(m.params as Params<tf.Tensor, tf.Tensor>);
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      // G·H columns: the vanilla RNN one block, the GRU three; the GRU's recurrent bias of n beside them.
      expect(got["rnn.1.Wh"].shape).toEqual([32, (cell === "rnn" ? 1 : 3) * 32]);
      if (cell === "gru") expect(got["rnn.0.bhn"].shape).toEqual([32]);
      for (const k of Object.keys(want)) expect(Array.from(got[k].dataSync()), k).toEqual(Array.from(want[k].dataSync()));
      const file = path.join(dir, "model.json");
      const json = JSON.parse(readFileSync(file, "utf8"));
      const lastLayer = json.weightsManifest[0].weights.filter((w: { name: string }) => !w.name.startsWith("rnn.1."));
      writeFileSync(file, JSON.stringify({ ...json, weightsManifest: [{ ...json.weightsManifest[0], weights: lastLayer }] }));
      expect(() => loadModel(dir)).toThrow(new RegExp(`a ${cell} needs weight rnn\\.1\\.Wx, which the manifest lacks`));
    });
  }

  it("read a model.json without a cell as an LSTM (files written before there were other cells)", () => {
    const dir = fresh("no-cell");
    const file = path.join(dir, "model.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    delete json.config.cell;
    writeFileSync(file, JSON.stringify(json));
    expect(loadModel(dir).meta.config.cell).toBe("lstm");
    writeFileSync(file, JSON.stringify({ ...json, config: { ...json.config, cell: "transformer" } }));
    expect(() => loadModel(dir)).toThrow(/config\.cell: cell must be one of lstm, gru, rnn/);
  });

  it("refuse a truncated weights file", () => {
    const dir = fresh("truncated");
    truncateSync(path.join(dir, "weights.bin"), 1000);
    expect(() => loadModel(dir)).toThrow(/truncated or corrupt/);
  });

  it("refuse corrupt JSON, wrong shapes and a mismatched vocabulary", () => {
    const dir = fresh("bad");
    const file = path.join(dir, "model.json");
    const json = JSON.parse(readFileSync(file, "utf8"));
    writeFileSync(file, JSON.stringify(json).slice(0, 200));
    expect(() => loadModel(dir)).toThrow(/not valid JSON/);
    writeFileSync(file, JSON.stringify({ ...json, weightsManifest: [{ ...json.weightsManifest[0], weights: json.weightsManifest[0].weights.map((w: { name: string; shape: number[] }) => (w.name === "rnn.1.Wh" ? { ...w, shape: [32, 64] } : w)) }] }));
    expect(() => loadModel(dir)).toThrow(/rnn.1.Wh has shape \[32,64\] but the config needs \[32,128\]/);
    writeFileSync(file, JSON.stringify({ ...json, vocab: ["a", "b"] }));
    expect(() => loadModel(dir)).toThrow(/vocabulary has 2 characters but the config says 5/);
    writeFileSync(file, JSON.stringify({ ...json, weightsManifest: [{ ...json.weightsManifest[0], paths: ["../../etc/passwd"] }] }));
    expect(() => loadModel(dir)).toThrow(/weightsManifest\.0\.paths\.0: must be a file name in the model's folder/);
    writeFileSync(file, JSON.stringify({ hello: 1 }));
    expect(() => loadModel(dir)).toThrow(/not a Cellscope model/);
  });

  it("name an unknown model", () => {
    expect(() => loadModel("no-such-model")).toThrow(/unknown model "no-such-model"/);
  });
});
