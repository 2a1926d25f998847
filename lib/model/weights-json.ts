/**
 * A network's weights as one plain JSON file, for tools outside Cellscope
 * (scripts/min-char-rnn.py reads it with nothing but `json` and numpy):
 *
 *   { format: "cellscope-weights", version: 1,
 *     config: { cell, layers, hidden, vocabSize, dropout },
 *     vocab: [the characters, in index order],
 *     sha256: of the float32 little-endian bytes of every weight, in order,
 *     weights: { NAME: { shape, values }, … } in the model file's order }
 *
 * Names and shapes are params.ts's (Wx [V, G·H], Wh [H, G·H], b [G·H], …,
 * Wy [H, V], by [V]): Cellscope multiplies row vectors, x·Wx, so a
 * column-vector reader such as min-char-rnn takes the transposes. `values`
 * are row-major; each float32 is written as the shortest decimal that reads
 * back as the same double, and a float32 is exactly a double, so a float64
 * reader starts from exactly the float32 weights.
 */
import { createHash } from "node:crypto";
import type { Tensor } from "@tensorflow/tfjs";
import type { ModelConfig } from "./config.ts";
import { paramNames, toNamed, type Params } from "./params.ts";
import { writeFileAtomic } from "./tensor-file.ts";

export interface WeightsJson {
  format: "cellscope-weights";
  version: 1;
  config: ModelConfig;
  vocab: string[];
  sha256: string;
  weights: Record<string, { shape: number[]; values: number[] }>;
}

/** The sha256 of the weights' float32 bytes, concatenated in paramNames order: names one exact set of weights. */
export function weightsSha256(config: ModelConfig, params: Params): string {
  const named = toNamed(params as Params<Tensor, Tensor>);
  const hash = createHash("sha256");
  for (const name of paramNames(config)) {
    const v = named[name].dataSync() as Float32Array;
    hash.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
  return hash.digest("hex");
}

export function weightsJson(config: ModelConfig, vocab: readonly string[], params: Params): WeightsJson {
  const named = toNamed(params as Params<Tensor, Tensor>);
  const weights: WeightsJson["weights"] = {};
  for (const name of paramNames(config)) weights[name] = { shape: named[name].shape, values: Array.from(named[name].dataSync()) };
  return { format: "cellscope-weights", version: 1, config, vocab: [...vocab], sha256: weightsSha256(config, params), weights };
}

/** Writes the weights to `file` as JSON (atomically). */
export function writeWeightsJson(file: string, config: ModelConfig, vocab: readonly string[], params: Params): void {
  writeFileAtomic(file, [JSON.stringify(weightsJson(config, vocab, params)) + "\n"]);
}
