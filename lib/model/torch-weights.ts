/**
 * A PyTorch char model's state_dict ↔ Cellscope's weights (params.ts).
 *
 * The PyTorch model is an `nn.LSTM`, `nn.GRU` or `nn.RNN` (tanh; any number of
 * layers, unidirectional) reading one-hot characters or an `nn.Embedding`,
 * then an `nn.Linear` decoder. Its tensors, by state_dict name:
 *
 *   P.weight_ih_l{k} [G·H, D_k]   P.weight_hh_l{k} [G·H, H]   P.bias_ih_l{k}, P.bias_hh_l{k} [G·H]
 *   E.weight [V, E]               (an embedding, when D_0 = E; none when D_0 = V: one-hot input)
 *   O.weight [V, H], O.bias [V]   (the decoder)
 *
 * and Cellscope's, per the cell's `torch` layout (cell.ts):
 *
 *   Wx_0 = (E.weight · W_ih_0ᵀ)[:, blocks]   an embedding followed by a linear map, on a
 *                                             one-hot input, is one row lookup in their product
 *   Wx_k = W_ih_kᵀ[:, blocks]   Wh_k = W_hh_kᵀ[:, blocks]   b_k = (b_ih + b_hh)[blocks]
 *   Wy = O.weightᵀ   by = O.bias
 *
 * with GRU's recurrent bias of n kept apart as `bhn`. The export writes the
 * same module with one-hot input, b_ih = b and b_hh = 0 (GRU: b_hn = bhn).
 */
import { z } from "zod";
import { cellByName, CELL_NAMES } from "./cells.ts";
import { ModelConfig } from "./config.ts";
import { paramShapes } from "./params.ts";
import type { NamedTensor, SafetensorsFile } from "./safetensors.ts";

export interface TorchImportOptions {
  /** The characters in index order; else the metadata's `vocab` (a JSON array as a string). */
  vocab?: string[];
  /** The cell type; else inferred from the shapes (4H rows: LSTM, 3H: GRU, H: RNN). */
  cell?: string;
  /** The decoder's name prefix (`decoder.` or `decoder`), when several [V, H] weights have a [V] bias. */
  decoder?: string;
  /** The embedding's name prefix, or "none" for one-hot input. */
  embedding?: string;
}

export interface ImportedWeights {
  config: ModelConfig;
  vocab: string[];
  /** Cellscope's weights by model-file name (params.ts). */
  weights: Record<string, NamedTensor>;
  /** What was read, for the command's summary: e.g. "2-layer LSTM, 256 units, embedding emb.weight [83, 64], decoder fc". */
  summary: string;
}

const Vocab = z
  .array(z.string().refine((c) => Array.from(c).length === 1, "each entry must be one character"))
  .min(2, "the vocabulary needs at least 2 characters")
  .refine((v) => new Set(v).size === v.length, "the vocabulary repeats a character");

/** Validates a vocabulary (from --vocab FILE or the metadata); `where` names its source. */
export function parseVocab(raw: unknown, where: string): string[] {
  const v = Vocab.safeParse(raw);
  if (!v.success) throw new Error(`${where}: ${v.error.issues[0].path.length ? `entry ${String(v.error.issues[0].path[0])}: ` : ""}${v.error.issues[0].message}`);
  return v.data;
}

/** A recurrent layer's own tensors: weight_ih_l0, bias_hh_l2, … */
const RECURRENT = /(weight|bias)_(ih|hh)_l\d+$/;
const prefixOf = (name: string, suffix: string) => name.slice(0, name.length - suffix.length);
const fmt = (shape: readonly number[]) => `[${shape.join(", ")}]`;

/** M [rows, cols] transposed: [cols, rows]. */
function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
  return t;
}

/** Columns of M [rows, G·H] in gate blocks, reordered: new block k = old block order[k]. */
function permuteBlocks(m: Float32Array, rows: number, H: number, order: readonly number[]): Float32Array {
  const G = order.length;
  const out = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < G; k++) out.set(m.subarray(r * G * H + order[k] * H, r * G * H + order[k] * H + H), r * G * H + k * H);
  }
  return out;
}

/** The inverse permutation: inverse[order[k]] = k. */
const invert = (order: readonly number[]) => order.map((_, j) => order.indexOf(j));

/** A [V, E] · B [E, N] in float64, rounded once to float32. */
function matmul(a: Float32Array, b: Float32Array, V: number, E: number, N: number): Float32Array {
  const out = new Float32Array(V * N);
  const row = new Float64Array(N);
  for (let i = 0; i < V; i++) {
    row.fill(0);
    for (let e = 0; e < E; e++) {
      const x = a[i * E + e];
      for (let j = 0; j < N; j++) row[j] += x * b[e * N + j];
    }
    out.set(row, i * N);
  }
  return out;
}

/** Reads a PyTorch char model's tensors into Cellscope's weights; one clear error for anything it cannot map exactly. */
export function importTorchWeights(file: SafetensorsFile, opts: TorchImportOptions, what: string): ImportedWeights {
  const t = file.tensors;
  const used = new Set<string>();
  const take = (name: string, shape: readonly number[]): Float32Array => {
    const x = t.get(name);
    if (!x) throw new Error(`${what}: tensor ${name} ${fmt(shape)} is missing`);
    if (x.shape.join(",") !== shape.join(",")) throw new Error(`${what}: tensor ${name} has shape ${fmt(x.shape)}, expected ${fmt(shape)}`);
    used.add(name);
    return x.data;
  };

  // The vocabulary.
  let vocab: string[];
  if (opts.vocab) vocab = opts.vocab;
  else if (file.metadata.vocab !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(file.metadata.vocab);
    } catch {
      throw new Error(`${what}: the metadata's vocab must be a JSON array of the characters in index order, as a string`);
    }
    vocab = parseVocab(raw, `${what}: metadata vocab`);
  } else {
    throw new Error(`${what} has no vocabulary: pass --vocab FILE.json (a JSON array of the characters in index order) or save it in the metadata's "vocab"`);
  }
  const V = vocab.length;

  // The recurrent layers.
  for (const name of t.keys()) {
    if (/_reverse$/.test(name)) throw new Error(`${what}: tensor ${name} belongs to a bidirectional layer; Cellscope runs unidirectional models only`);
    if (/weight_hr_l\d+$/.test(name)) throw new Error(`${what}: tensor ${name} is an LSTM projection (proj_size); Cellscope runs LSTMs without one`);
  }
  const prefixes = [...new Set([...t.keys()].filter((n) => n.endsWith("weight_ih_l0")).map((n) => prefixOf(n, "weight_ih_l0")))];
  if (prefixes.length === 0) throw new Error(`${what}: no recurrent layer: expected tensors named like weight_ih_l0 (an nn.LSTM, nn.GRU or nn.RNN state_dict)`);
  if (prefixes.length > 1) throw new Error(`${what}: several recurrent modules (${prefixes.map((p) => p || "(no prefix)").join(", ")}); Cellscope runs one stack of layers`);
  const P = prefixes[0];
  let layers = 0;
  while (t.has(`${P}weight_ih_l${layers}`)) layers++;
  const hh0 = t.get(`${P}weight_hh_l0`);
  if (!hh0 || hh0.shape.length !== 2) throw new Error(`${what}: tensor ${P}weight_hh_l0 [G·H, H] is missing`);
  const H = hh0.shape[1];
  const G = hh0.shape[0] / H;
  const inferred = { 4: "lstm", 3: "gru", 1: "rnn" }[G];
  if (!inferred) throw new Error(`${what}: ${P}weight_hh_l0 has shape ${fmt(hh0.shape)}: its rows should be 4H (LSTM), 3H (GRU) or H (RNN) for H = ${H}`);
  const cellName = opts.cell ?? inferred;
  if (!CELL_NAMES.includes(cellName)) throw new Error(`--cell must be one of ${CELL_NAMES.join(", ")}`);
  const cell = cellByName(cellName);
  if (cell.gates !== G) throw new Error(`${what}: ${P}weight_hh_l0 ${fmt(hh0.shape)} has ${G} gate block(s); a ${cellName} has ${cell.gates}`);
  if (file.metadata.nonlinearity && file.metadata.nonlinearity !== "tanh") throw new Error(`${what}: an RNN with nonlinearity ${file.metadata.nonlinearity}; Cellscope's RNN is tanh`);

  const parsed = ModelConfig.safeParse({ cell: cellName, layers, hidden: H, vocabSize: V, dropout: 0 });
  if (!parsed.success) throw new Error(`${what}: a ${layers}-layer ${cellName} with ${H} units: ${parsed.error.issues[0].message}`);
  const config = parsed.data;

  // Layer 0's input: one-hot, or an embedding [V, E].
  const ih0 = t.get(`${P}weight_ih_l0`)!;
  const D0 = ih0.shape[1];
  const isDecoderPrefix = (p: string) => t.get(`${p}bias`)?.shape.join(",") === `${V}`;
  let embedding: { name: string; E: number; data: Float32Array } | undefined;
  if (opts.embedding && opts.embedding !== "none") {
    const name = opts.embedding.endsWith("weight") ? opts.embedding : `${opts.embedding.replace(/\.$/, "")}.weight`;
    embedding = { name, E: D0, data: take(name, [V, D0]) };
  } else if (opts.embedding !== "none") {
    const candidates = [...t.entries()].filter(([n, x]) => n.endsWith("weight") && !RECURRENT.test(n) && x.shape.length === 2 && x.shape[0] === V && x.shape[1] === D0 && !isDecoderPrefix(prefixOf(n, "weight")));
    if (D0 !== V && candidates.length === 0) throw new Error(`${what}: ${P}weight_ih_l0 reads ${D0} inputs, not the vocabulary's ${V}: expected an embedding weight [${V}, ${D0}] (--embedding PREFIX)`);
    if (candidates.length > 1) throw new Error(`${what}: several tensors could be the embedding [${V}, ${D0}] (${candidates.map(([n]) => n).join(", ")}): pass --embedding PREFIX`);
    if (candidates.length === 1) {
      if (D0 === V) throw new Error(`${what}: ${P}weight_ih_l0 reads ${V} inputs, so the input may be one-hot, but ${candidates[0][0]} [${V}, ${V}] could be an embedding: pass --embedding ${prefixOf(candidates[0][0], ".weight")} or --embedding none`);
      embedding = { name: candidates[0][0], E: D0, data: candidates[0][1].data };
      used.add(embedding.name);
    }
  }
  if (!embedding && D0 !== V) throw new Error(`${what}: ${P}weight_ih_l0 reads ${D0} inputs, but the one-hot input has the vocabulary's ${V}`);

  // The decoder: a [V, H] weight with its [V] bias.
  let decoder: string;
  if (opts.decoder) decoder = opts.decoder.replace(/\.?(weight|bias)$/, "").replace(/\.$/, "");
  else {
    const found = [...t.entries()].filter(([n, x]) => n.endsWith(".weight") && x.shape.join(",") === `${V},${H}` && isDecoderPrefix(prefixOf(n, "weight"))).map(([n]) => prefixOf(n, ".weight"));
    if (found.length === 0) throw new Error(`${what}: no decoder: expected an nn.Linear weight [${V}, ${H}] with its bias [${V}] (--decoder PREFIX)`);
    if (found.length > 1) throw new Error(`${what}: several tensors could be the decoder (${found.join(", ")}): pass --decoder PREFIX`);
    decoder = found[0];
  }
  const dec = (s: string) => (decoder ? `${decoder}.${s}` : s);
  const Wy = transpose(take(dec("weight"), [V, H]), V, H);
  const by = t.has(dec("bias")) ? take(dec("bias"), [V]) : new Float32Array(V);

  // The layers, in Cellscope's layout.
  const { blocks, unfolded } = cell.torch;
  const GH = G * H;
  const shapes = paramShapes(config);
  const weights: Record<string, NamedTensor> = {};
  for (let l = 0; l < layers; l++) {
    const D = l === 0 ? D0 : H;
    let Wx = transpose(take(`${P}weight_ih_l${l}`, [GH, D]), GH, D);
    if (l === 0 && embedding) Wx = matmul(embedding.data, Wx, V, D, GH);
    const Wh = transpose(take(`${P}weight_hh_l${l}`, [GH, H]), GH, H);
    const bih = t.has(`${P}bias_ih_l${l}`) ? take(`${P}bias_ih_l${l}`, [GH]) : new Float32Array(GH);
    const bhh = t.has(`${P}bias_hh_l${l}`) ? take(`${P}bias_hh_l${l}`, [GH]) : new Float32Array(GH);
    const b = new Float32Array(GH);
    for (let j = 0; j < GH; j++) b[j] = bih[j] + (unfolded && Math.floor(j / H) === unfolded.block ? 0 : bhh[j]);
    weights[`rnn.${l}.Wx`] = { shape: shapes[`rnn.${l}.Wx`], data: permuteBlocks(Wx, l === 0 ? V : H, H, blocks) };
    weights[`rnn.${l}.Wh`] = { shape: shapes[`rnn.${l}.Wh`], data: permuteBlocks(Wh, H, H, blocks) };
    weights[`rnn.${l}.b`] = { shape: shapes[`rnn.${l}.b`], data: permuteBlocks(b, 1, H, blocks) };
    if (unfolded) weights[`rnn.${l}.${unfolded.extra}`] = { shape: [H], data: bhh.slice(unfolded.block * H, unfolded.block * H + H) };
  }
  weights["out.Wy"] = { shape: [H, V], data: Wy };
  weights["out.by"] = { shape: [V], data: by };

  const left = [...t.keys()].filter((n) => !used.has(n));
  if (left.length) throw new Error(`${what}: tensor ${left[0]} ${fmt(t.get(left[0])!.shape)} is not part of a ${cellName} char model Cellscope can run (embedding → ${layers} layer(s) → decoder); remove it or name the parts with --embedding/--decoder`);
  const summary = `${layers}-layer ${cell.torch.module}, ${H} units, ${V} characters, ${embedding ? `embedding ${embedding.name} [${V}, ${embedding.E}]` : "one-hot input"}, decoder ${decoder || "(no prefix)"}`;
  return { config, vocab, weights, summary };
}

/**
 * How many bias vectors torch.nn's module of this cell keeps for each element
 * of Cellscope's b: two (b_ih and b_hh, acting as their sum) on every block
 * but an unfolded one (GRU's n, whose b_hn is the extra weight). For training
 * exactly as PyTorch and char-rnn do (optimizer.ts, WeightCopies).
 */
export function biasCopies(config: Pick<ModelConfig, "cell" | "layers" | "hidden">): Record<string, Float32Array> {
  const { gates, torch } = cellByName(config.cell);
  const H = config.hidden;
  const out: Record<string, Float32Array> = {};
  for (let l = 0; l < config.layers; l++) {
    const c = new Float32Array(gates * H).fill(2);
    if (torch.unfolded) c.fill(1, torch.unfolded.block * H, torch.unfolded.block * H + H);
    out[`rnn.${l}.b`] = c;
  }
  return out;
}

/**
 * Cellscope's weights as the state_dict of a PyTorch module with one-hot input:
 * `rnn.*` (nn.LSTM/GRU/RNN(V, H, layers)) and `decoder.*` (nn.Linear(H, V)).
 */
export function exportTorchWeights(config: ModelConfig, named: Record<string, Float32Array>): Map<string, NamedTensor> {
  const cell = cellByName(config.cell);
  const { blocks, unfolded } = cell.torch;
  const back = invert(blocks);
  const H = config.hidden;
  const V = config.vocabSize;
  const GH = cell.gates * H;
  const out = new Map<string, NamedTensor>();
  for (let l = 0; l < config.layers; l++) {
    const D = l === 0 ? V : H;
    out.set(`rnn.weight_ih_l${l}`, { shape: [GH, D], data: transpose(permuteBlocks(named[`rnn.${l}.Wx`], D, H, back), D, GH) });
    out.set(`rnn.weight_hh_l${l}`, { shape: [GH, H], data: transpose(permuteBlocks(named[`rnn.${l}.Wh`], H, H, back), H, GH) });
    out.set(`rnn.bias_ih_l${l}`, { shape: [GH], data: permuteBlocks(named[`rnn.${l}.b`], 1, H, back) });
    const bhh = new Float32Array(GH);
    if (unfolded) bhh.set(named[`rnn.${l}.${unfolded.extra}`], unfolded.block * H);
    out.set(`rnn.bias_hh_l${l}`, { shape: [GH], data: bhh });
  }
  out.set("decoder.weight", { shape: [V, H], data: transpose(named["out.Wy"], H, V) });
  out.set("decoder.bias", { shape: [V], data: named["out.by"] });
  return out;
}
