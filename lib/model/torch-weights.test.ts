/**
 * PyTorch models imported exactly: the fixtures are small LSTM, GRU and RNN
 * models made and run by PyTorch (scripts/torch-models.py fixtures), with
 * PyTorch's own per-character losses beside them. Cellscope's engine must
 * reproduce every one of those losses to 1e-4 after the import.
 */
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { initBackend } from "./backend.ts";
import { zeroState } from "./cell.ts";
import { cellByName } from "./cells.ts";
import { forward, nllPerChar } from "./network.ts";
import { fromNamed, type Params } from "./params.ts";
import { readSafetensors, writeSafetensors, type NamedTensor } from "./safetensors.ts";
import { biasCopies, exportTorchWeights, importTorchWeights, parseVocab, type TorchImportOptions } from "./torch-weights.ts";
import { encode } from "../corpus/vocab.ts";

await initBackend("cpu");
const FIXTURES = path.join(import.meta.dirname, "fixtures");
const fixture = (name: string) => path.join(FIXTURES, `${name}.safetensors`);

function importFixture(name: string, opts: TorchImportOptions = {}) {
  const file = fixture(name);
  const vocabFile = path.join(FIXTURES, `${name}.vocab.json`);
  const vocab = existsSync(vocabFile) ? parseVocab(JSON.parse(readFileSync(vocabFile, "utf8")), vocabFile) : undefined;
  return importTorchWeights(readSafetensors(readFileSync(file), file), { vocab, ...opts }, file);
}

/** Per-character losses of imported weights on a text, one stream from a zero state. */
function lossesOf(imp: ReturnType<typeof importFixture>, text: string): Float32Array {
  return tf.tidy(() => {
    const cell = cellByName(imp.config.cell);
    const named = Object.fromEntries(Object.entries(imp.weights).map(([k, w]) => [k, tf.tensor(w.data, w.shape)]));
    const params = fromNamed(named, imp.config.layers) as Params;
    const ids = encode(text, imp.vocab);
    const states = Array.from({ length: imp.config.layers }, () => zeroState(cell, 1, imp.config.hidden));
    const { logp } = forward(cell, params, ids.subarray(0, -1), ids.length - 1, states);
    return nllPerChar(logp, ids.subarray(1)).dataSync() as Float32Array;
  });
}

const CASES = [
  ["torch-lstm-embed", "lstm", "2-layer LSTM, 32 units, 35 characters, embedding embed.weight [35, 12], decoder decoder"],
  ["torch-gru-embed", "gru", "2-layer GRU, 32 units, 35 characters, embedding embed.weight [35, 12], decoder decoder"],
  ["torch-rnn-embed", "rnn", "1-layer RNN, 32 units, 35 characters, embedding embed.weight [35, 12], decoder decoder"],
  ["torch-lstm-onehot", "lstm", "1-layer LSTM, 32 units, 35 characters, one-hot input, decoder decoder"],
] as const;

describe("importing PyTorch models", () => {
  for (const [name, cell, summary] of CASES) {
    it(`${name}: every per-character loss matches PyTorch's to 1e-4`, () => {
      const expected = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as { text: string; nats: number[] };
      const imp = importFixture(name);
      expect(imp.config.cell).toBe(cell);
      expect(imp.summary).toBe(summary);
      const got = lossesOf(imp, expected.text);
      expect(got.length).toBe(expected.nats.length);
      const worst = Math.max(...expected.nats.map((x, i) => Math.abs(x - got[i])));
      expect(worst).toBeLessThan(1e-4);
    });
  }

  it("exports to the PyTorch layout and reads it back to the same weights, for every cell", () => {
    for (const [name] of CASES) {
      const imp = importFixture(name);
      const arrays = Object.fromEntries(Object.entries(imp.weights).map(([k, w]) => [k, w.data]));
      const bytes = writeSafetensors(exportTorchWeights(imp.config, arrays), { vocab: JSON.stringify(imp.vocab) });
      const again = importTorchWeights(readSafetensors(bytes, "export"), {}, "export");
      expect(again.config).toEqual(imp.config);
      expect(again.summary).toMatch(/one-hot input, decoder decoder$/);
      for (const [k, w] of Object.entries(imp.weights)) expect([k, Array.from(again.weights[k].data)]).toEqual([k, Array.from(w.data)]);
    }
  });
});

describe("PyTorch's two bias vectors", () => {
  it("count twice on every gate block but GRU's n, whose recurrent bias is its own weight", () => {
    const gru = biasCopies({ cell: "gru", layers: 2, hidden: 32 });
    expect(Object.keys(gru)).toEqual(["rnn.0.b", "rnn.1.b"]);
    expect([gru["rnn.1.b"][0], gru["rnn.1.b"][63], gru["rnn.1.b"][64], gru["rnn.1.b"][95]]).toEqual([2, 2, 1, 1]);
    expect(new Set(biasCopies({ cell: "lstm", layers: 1, hidden: 32 })["rnn.0.b"])).toEqual(new Set([2]));
  });
});

describe("files Cellscope cannot import get one clear line", () => {
  const base = () => readSafetensors(readFileSync(fixture("torch-gru-embed")), "m.safetensors");
  const tryImport = (edit: (f: ReturnType<typeof base>) => void, opts: TorchImportOptions = {}) => {
    const f = base();
    edit(f);
    return () => importTorchWeights(f, opts, "m.safetensors");
  };
  const set = (f: ReturnType<typeof base>, name: string, t: NamedTensor) => f.tensors.set(name, t);

  it("names the missing vocabulary, the wrong shape, the extra tensor and the unsupported layer", () => {
    expect(tryImport((f) => delete f.metadata.vocab)).toThrow(/m\.safetensors has no vocabulary: pass --vocab FILE\.json/);
    expect(tryImport((f) => (f.metadata.vocab = '["a","a"]'))).toThrow(/metadata vocab: the vocabulary repeats a character/);
    expect(tryImport((f) => set(f, "rnn.bias_hh_l1", { shape: [95], data: new Float32Array(95) }))).toThrow(/tensor rnn\.bias_hh_l1 has shape \[95\], expected \[96\]/);
    expect(tryImport((f) => set(f, "norm.weight", { shape: [32], data: new Float32Array(32) }))).toThrow(/tensor norm\.weight \[32\] is not part of a gru char model/);
    expect(tryImport((f) => set(f, "rnn.weight_ih_l0_reverse", { shape: [96, 12], data: new Float32Array(96 * 12) }))).toThrow(/bidirectional/);
    expect(tryImport((f) => f.tensors.delete("decoder.bias"))).toThrow(/no decoder: expected an nn\.Linear weight \[35, 32\] with its bias \[35\]/);
    expect(tryImport((f) => f.tensors.delete("embed.weight"))).toThrow(/reads 12 inputs, not the vocabulary's 35: expected an embedding weight \[35, 12\]/);
    expect(tryImport(() => {}, { cell: "lstm" })).toThrow(/has 3 gate block\(s\); a lstm has 4/);
  });

  it("refuses malformed safetensors bytes", () => {
    expect(() => readSafetensors(new Uint8Array(4), "x")).toThrow(/fewer than the 8 of the header's length/);
    const head = Buffer.alloc(8);
    head.writeBigUInt64LE(1000n);
    expect(() => readSafetensors(Buffer.concat([head, Buffer.from("{}")]), "x")).toThrow(/header of 1000 bytes, and the file has 10/);
    const bytes = readFileSync(fixture("torch-rnn-embed"));
    expect(() => readSafetensors(bytes.subarray(0, bytes.length - 4), "x")).toThrow(/run past the file's/);
  });

  it("reads F64, F16 and BF16 tensors as float32", () => {
    const values = [1.5, -0.25, 3];
    const enc = (dtype: string, bytes: Buffer) => {
      const json = JSON.stringify({ t: { dtype, shape: [3], data_offsets: [0, bytes.length] } });
      const head = Buffer.alloc(8);
      head.writeBigUInt64LE(BigInt(json.length));
      return readSafetensors(Buffer.concat([head, Buffer.from(json), bytes]), dtype).tensors.get("t")!.data;
    };
    const f64 = Buffer.alloc(24);
    values.forEach((v, i) => f64.writeDoubleLE(v, 8 * i));
    const f32 = Buffer.alloc(12);
    values.forEach((v, i) => f32.writeFloatLE(v, 4 * i));
    // bfloat16: the high 16 bits of each float32; half: 1.5 = 0x3e00, −0.25 = 0xb400, 3 = 0x4200.
    const bf16 = Buffer.alloc(6);
    values.forEach((_, i) => bf16.writeUInt16LE(f32.readUInt16LE(4 * i + 2), 2 * i));
    const f16 = Buffer.from([0x00, 0x3e, 0x00, 0xb4, 0x00, 0x42]);
    for (const [dtype, b] of [["F64", f64], ["BF16", bf16], ["F16", f16]] as const) expect([dtype, Array.from(enc(dtype, b))]).toEqual([dtype, values]);
  });
});
