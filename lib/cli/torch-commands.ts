/** `cellscope import` and `cellscope export-model`: PyTorch char models in and out (safetensors). */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseFlags, UsageError } from "./args.ts";
import { initBackend } from "../model/backend.ts";
import { cellByName } from "../model/cells.ts";
import { evaluate } from "../model/evaluate.ts";
import { loadModel, modelsDir, readModelJson, saveModelArrays } from "../model/model-file.ts";
import { MODEL_ID_PATTERN } from "../model/model-id.ts";
import { toNamed, type Params } from "../model/params.ts";
import type { Tensor } from "@tensorflow/tfjs";
import { readSafetensors, writeSafetensors } from "../model/safetensors.ts";
import { exportTorchWeights, importTorchWeights, parseVocab } from "../model/torch-weights.ts";
import { loadCorpus, loadCorpusFor, splitRange } from "../corpus/corpus.ts";

export const importHelp = `cellscope import FILE.safetensors --corpus NAME|FILE [--id ID] [--vocab FILE.json] [--cell lstm|gru|rnn]
                 [--decoder PREFIX] [--embedding PREFIX|none] [--force]
    a char model saved from PyTorch (nn.LSTM / nn.GRU / nn.RNN, optional nn.Embedding, nn.Linear decoder) into models/ID;
    the vocabulary (characters in index order) from --vocab or the file's metadata "vocab"; --corpus is the text it is
    evaluated and recorded on (90/5/5 split); then \`cellscope record --model ID\` or \`npm start\``;
export const exportModelHelp = `cellscope export-model --model ID --format safetensors [--out FILE (ID.safetensors)]
    the weights as a PyTorch state_dict: rnn.* (nn.LSTM/GRU/RNN(V, H, layers), one-hot input) and decoder.* (nn.Linear(H, V)),
    the vocabulary and architecture in the metadata (scripts/torch-models.py check loads it)`;

/** Where a stretch of the test split is scored after an import, to show the model reads its text (characters). */
const IMPORT_CHECK_CHARS = 20_000;

export async function importCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseFlags(argv, {
    id: { type: "string" },
    corpus: { type: "string" },
    vocab: { type: "string" },
    cell: { type: "string" },
    decoder: { type: "string" },
    embedding: { type: "string" },
    force: { type: "boolean" },
  });
  if (positionals.length !== 1) throw new UsageError("import needs one FILE.safetensors");
  const file = positionals[0];
  if (!values.corpus) throw new UsageError("import needs --corpus NAME|FILE: the text the model is evaluated and recorded on");
  if (!existsSync(file)) throw new UsageError(`no file ${file}`);
  const id = (values.id as string | undefined) ?? path.basename(file).replace(/\.safetensors$/, "");
  if (!MODEL_ID_PATTERN.test(id)) throw new UsageError(`--id "${id}": use letters, digits, ".", "_" and "-", starting with a letter or digit`);
  const dir = path.join(modelsDir(), id);
  if (existsSync(path.join(dir, "model.json")) && !values.force) throw new UsageError(`models/${id} exists: pick another --id, or --force to replace it`);

  let vocab: string[] | undefined;
  if (values.vocab) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(values.vocab as string, "utf8"));
    } catch (e) {
      throw new UsageError(`--vocab ${values.vocab}: not a readable JSON file (${(e as Error).message})`);
    }
    vocab = parseVocab(raw, `--vocab ${values.vocab}`);
  }
  const bytes = readFileSync(file);
  const imp = importTorchWeights(readSafetensors(bytes, file), {
    vocab,
    cell: values.cell as string | undefined,
    decoder: values.decoder as string | undefined,
    embedding: values.embedding as string | undefined,
  }, file);

  // The text must be readable in the model's vocabulary before anything is written.
  const meta = {
    format: "cellscope-char-rnn" as const,
    version: 1 as const,
    id,
    config: imp.config,
    vocab: imp.vocab,
    corpus: { name: "", sha256: "", chars: 0 } as { name: string; file?: string; sha256: string; chars: number },
    training: {
      options: { importedFrom: path.basename(file), sha256: createHash("sha256").update(bytes).digest("hex"), layout: imp.summary },
      iterations: 0,
      epochs: 0,
      seconds: 0,
      bestValidNats: null,
      history: { train: [], valid: [] },
      samples: [],
    },
    checks: [],
  };
  // Named as `train` names it: by name for corpora/, else by its file.
  const corpus = loadCorpus(values.corpus as string);
  meta.corpus = { name: corpus.name, file: path.relative(process.cwd(), corpus.file), sha256: corpus.sha256, chars: corpus.ids.length };
  const probe = loadCorpusFor(meta);
  saveModelArrays(dir, meta, Object.fromEntries(Object.entries(imp.weights).map(([k, w]) => [k, w.data])));

  await initBackend();
  const model = loadModel(dir);
  const test = splitRange(probe.ids.length, "test");
  const end = Math.min(test.end, test.start + IMPORT_CHECK_CHARS + 1);
  const r = await evaluate(cellByName(imp.config.cell), model.params, probe.ids, test.start, end);
  process.stdout.write(
    `imported ${file} as ${id} (${path.relative(process.cwd(), dir) || dir}): ${imp.summary}\n` +
      `first ${r.chars.toLocaleString("en")} test characters of ${probe.name}: ${r.nats.toFixed(4)} nats/char\n` +
      `next: npx cellscope record --model ${id}   (or npm start, which records it)\n`,
  );
}

export async function exportModelCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, { model: { type: "string" }, format: { type: "string" }, out: { type: "string" } });
  if (!values.model) throw new UsageError("export-model needs --model");
  if (values.format !== "safetensors") throw new UsageError(`--format must be safetensors${values.format ? `, got "${values.format}"` : ""}`);
  const { meta } = readModelJson(values.model as string);
  await initBackend();
  const model = loadModel(values.model as string);
  const named = Object.fromEntries(Object.entries(toNamed(model.params as Params<Tensor, Tensor>)).map(([k, t]) => [k, t.dataSync() as Float32Array]));
  const cell = cellByName(meta.config.cell);
  const metadata = {
    format: "pt",
    vocab: JSON.stringify(meta.vocab),
    cell: meta.config.cell,
    module: cell.torch.module,
    layers: String(meta.config.layers),
    hidden: String(meta.config.hidden),
    input: "one-hot",
    cellscope: meta.id,
  };
  const out = (values.out as string | undefined) ?? `${meta.id}.safetensors`;
  writeFileSync(out, writeSafetensors(exportTorchWeights(meta.config, named), metadata));
  process.stdout.write(`wrote ${out}: nn.${cell.torch.module}(${meta.vocab.length}, ${meta.config.hidden}, ${meta.config.layers}) as rnn.*, nn.Linear(${meta.config.hidden}, ${meta.vocab.length}) as decoder.*\n`);
}
