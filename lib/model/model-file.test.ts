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
  training: { options: {}, iterations: 0, epochs: 0, seconds: 0, bestValidNats: null, history: { train: [], valid: [] } },
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
