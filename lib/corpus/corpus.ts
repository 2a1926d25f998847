/**
 * Corpora: plain UTF-8 text files under `corpora/`, split contiguously into
 * train (first 90%), validation (next 5%) and test (last 5%) by character.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { buildVocab, encode, encodeChars, sameVocab, type Vocab } from "./vocab.ts";

export type Split = "train" | "valid" | "test";
export const SPLITS: readonly Split[] = ["train", "valid", "test"];

export interface Corpus {
  name: string;
  /** The file the text came from. */
  file: string;
  /** Whole text as code points (index i is character i). */
  chars: string[];
  /** sha256 of the file's bytes. */
  sha256: string;
  vocab: Vocab;
  /** The whole corpus encoded with its own vocabulary. */
  ids: Int32Array;
}

/** Where the shipped corpora live (repo root/corpora), overridable for tests. */
export function corporaDir(): string {
  // The app's server bundle has no import.meta.dirname and runs from the project root; the sources
  // (lib/X/) and the compiled CLI (.build/cli/) are both two folders below it. Not PROJECT_ROOT:
  // the app's bundler cannot scope a path it cannot follow and would trace the whole project.
  return process.env.CELLSCOPE_CORPORA ?? (import.meta.dirname ? path.resolve(import.meta.dirname, "../../corpora") : path.resolve("corpora"));
}

/** Resolves a corpus name (`warpeace`) or a path to a text file. */
export function resolveCorpusFile(nameOrPath: string): { name: string; file: string } {
  if (/^[a-z0-9][a-z0-9_-]*$/i.test(nameOrPath)) {
    const file = path.join(corporaDir(), `${nameOrPath}.txt`);
    if (existsSync(file)) return { name: nameOrPath, file };
    if (!nameOrPath.includes(".")) {
      throw new Error(`unknown corpus "${nameOrPath}": no file ${file} (known: ${listCorpora().join(", ")})`);
    }
  }
  if (!existsSync(nameOrPath)) throw new Error(`corpus file not found: ${nameOrPath}`);
  return { name: path.basename(nameOrPath).replace(/\.[^.]*$/, ""), file: nameOrPath };
}

export function listCorpora(): string[] {
  try {
    return readdirSync(corporaDir())
      .filter((f) => f.endsWith(".txt"))
      .map((f) => f.slice(0, -4))
      .sort();
  } catch {
    return [];
  }
}

/** Decodes bytes as strict UTF-8 text, refusing binary files and empty ones. */
export function decodeText(bytes: Uint8Array, file: string): string {
  if (bytes.length === 0) throw new Error(`${file} is empty`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${file} is not valid UTF-8 text`);
  }
  if (text.includes("\u0000")) throw new Error(`${file} looks binary (it contains NUL characters)`);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function loadCorpus(nameOrPath: string): Corpus {
  const { name, file } = resolveCorpusFile(nameOrPath);
  let bytes: Buffer;
  try {
    bytes = readFileSync(/*turbopackIgnore: true*/ file);
  } catch (e) {
    throw new Error(`cannot read corpus ${file}: ${(e as Error).message}`);
  }
  const text = decodeText(bytes, file);
  const chars = Array.from(text);
  const vocab = buildVocab(chars);
  return { name, file, chars, vocab, sha256: createHash("sha256").update(bytes).digest("hex"), ids: encodeChars(chars, vocab) };
}

/**
 * The corpus a model was trained on: by name from corpora/, else the file it
 * was read from, encoded in the model's vocabulary. A model trained here has
 * the corpus's own (sorted) vocabulary; one imported from PyTorch has its
 * own order and may have characters the text lacks, but must have every
 * character the text has.
 */
export function loadCorpusFor(meta: { id: string; vocab: readonly string[]; corpus: { name: string; file?: string } }): Corpus {
  const known = existsSync(path.join(corporaDir(), `${meta.corpus.name}.txt`));
  const corpus = loadCorpus(known || !meta.corpus.file ? meta.corpus.name : meta.corpus.file);
  if (sameVocab(corpus.vocab, meta.vocab)) return corpus;
  try {
    return { ...corpus, vocab: meta.vocab, ids: encodeChars(corpus.chars, meta.vocab) };
  } catch (e) {
    throw new Error(`model ${meta.id} cannot read corpus ${corpus.name}: ${(e as Error).message}`);
  }
}

/** [start, end) character range of a split: 90/5/5, contiguous. */
export function splitRange(length: number, split: Split): { start: number; end: number } {
  const trainEnd = Math.floor(length * 0.9);
  const validEnd = Math.floor(length * 0.95);
  if (split === "train") return { start: 0, end: trainEnd };
  if (split === "valid") return { start: trainEnd, end: validEnd };
  return { start: validEnd, end: length };
}
