/**
 * `cellscope record` for a captioner (P11 §3): its decoder, teacher-forced on
 * the canonical caption of each of N test scenes (objects left to right, the
 * one caption train-captioner teaches by default), kept in the store like
 * a char model's run over text, so search by regex or signal, the cell pages
 * and text coloring work on it.
 *
 * The recorded text is the captions, one per line:
 *
 *   "a small red circle above a blue square\n…"
 *
 * A decoder step reads one word. The characters of word k and the space,
 * comma-free gap or newline after it carry every unit's value after reading
 * word k (what a char model's recording holds at a character: the state after
 * reading it). The state after <start>, before the first word, has no
 * characters and is left out. The loss and the top-5 guesses at the last
 * character of word k's stretch are the decoder's for the word after it (or
 * <end> at the newline); elsewhere the loss is NaN and no guess is stored, the
 * way a position with nothing to predict is kept.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { Tensor2D } from "@tensorflow/tfjs";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { captionChunk, captionerNamed, decoderKinds } from "../captioning/captioner.ts";
import { loadCaptioner } from "../captioning/captioner-file.ts";
import { encode, imagesTensor } from "../captioning/encoder.ts";
import { CAPTIONS_CORPUS, canonicalCaption, makeScenes, renderScene } from "../captioning/scenes.ts";
import { detokenize, tokenize, WORDS } from "../captioning/words.ts";
import { zeroState } from "../model/cell.ts";
import { cellByName } from "../model/cells.ts";
import { forward } from "../model/network.ts";
import { openBulk, TOP_N, writeChunk, deleteBulk } from "../store/activations.ts";
import { formatUnitId, kindRange, quantize, type UnitKind } from "../store/quantize.ts";
import { dbPath } from "../db-file.ts";
import { lockRecording } from "./record-lock.ts";
import { CHUNK_CHARS, finishRecording, type RecordResult } from "./record.ts";

/** The corpus row a captioner's recording names: the captions it was recorded over. */
/** Test scenes recorded by default. */
export const CAPTION_SCENES = 1000;

export interface CaptionText {
  text: string;
  /** Per character: the caption (scene) it belongs to and the decoder step (word k, from 1) whose state it shows. */
  scene: Int32Array;
  step: Int32Array;
  /** Per character: whether it is the last of its word's stretch, where the guess at the next word is kept. */
  guess: Uint8Array;
}

/** Lays captions out as text, one per line, and maps every character to the decoder step it shows (see the top of this file). */
export function captionText(captions: readonly string[]): CaptionText {
  const chars: string[] = [], scene: number[] = [], step: number[] = [];
  captions.forEach((c, b) => {
    const tokens = tokenize(c);
    tokens.forEach((w, k) => {
      // The gap before a word belongs to the word before it; none before a comma.
      if (k > 0 && w !== ",") chars.push(" "), scene.push(b), step.push(k);
      for (const ch of w) chars.push(ch), scene.push(b), step.push(k + 1);
    });
    chars.push("\n"), scene.push(b), step.push(tokens.length);
  });
  const guess = new Uint8Array(chars.length);
  for (let i = 0; i < chars.length; i++) guess[i] = i + 1 === chars.length || scene[i + 1] !== scene[i] || step[i + 1] !== step[i] ? 1 : 0;
  if (chars.join("") !== captions.map((c) => detokenize(tokenize(c)) + "\n").join("")) throw new Error("caption layout does not match the captions' own spelling");
  return { text: chars.join(""), scene: Int32Array.from(scene), step: Int32Array.from(step), guess };
}

export interface RecordCaptionerOptions {
  /** The captioner's folder (captioner.json, weights.bin). */
  dir: string;
  scenes?: number;
  force?: boolean;
  onProgress?: (done: number, total: number, phase: "record" | "stats") => void;
}

/** Records a captioner's decoder over the canonical caption of each test scene (see the top of this file). */
export async function recordCaptioner(prisma: PrismaClient, o: RecordCaptionerOptions): Promise<RecordResult> {
  const t0 = performance.now();
  const { meta, model } = loadCaptioner(o.dir);
  const unlock = lockRecording(dbPath(), meta.id);
  try {
    const count = o.scenes ?? CAPTION_SCENES;
    if (!Number.isInteger(count) || count < 1) throw new Error("--scenes must be a positive integer");
    const seed = typeof meta.training.options.seed === "number" ? meta.training.options.seed : 1;
    const scenes = makeScenes("test", count, seed);
    const layout = captionText(scenes.map(canonicalCaption));
    const chars = layout.text.length;
    const cfg = model.config;
    const cell = cellByName(cfg.cell);
    const kinds = decoderKinds(cfg.cell) as UnitKind[];
    const H = cfg.hidden, L = cfg.layers, V = WORDS.length;

    await prisma.corpus.upsert({
      where: { id: CAPTIONS_CORPUS },
      create: { id: CAPTIONS_CORPUS, sha256: createHash("sha256").update(layout.text).digest("hex"), chars },
      update: { sha256: createHash("sha256").update(layout.text).digest("hex"), chars },
    });
    const params = Object.values(captionerNamed(model)).reduce((a, t) => a + t.size, 0);
    const data = { corpusId: CAPTIONS_CORPUS, layers: L, hidden: H, vocabSize: V, params, cell: cfg.cell, kind: "captioner", path: path.relative(process.cwd(), o.dir) || ".", training: JSON.stringify(meta.training), testNats: null }; // its loss is per word, not per character: kept on the recording only
    await prisma.model.upsert({ where: { id: meta.id }, create: { id: meta.id, ...data }, update: data });

    const key = { modelId: meta.id, split: "test", start: 0, chars, kinds: kinds.join(",") };
    const db = openBulk();
    let rec = await prisma.recording.findUnique({ where: { modelId_split_start_chars_kinds: key } });
    if (rec?.status === "complete" && !o.force) return { recordingId: rec.id, outcome: "exists", chars, start: 0, seconds: 0, nats: rec.nats, rerun: [] };
    if (rec) {
      deleteBulk(db, rec.id);
      await prisma.recording.delete({ where: { id: rec.id } });
    }
    rec = await prisma.recording.create({ data: { ...key, chunkChars: CHUNK_CHARS, status: "recording", text: layout.text, context: "" } });

    const units = kinds.flatMap((kind) => Array.from({ length: L }, (_, layer) => Array.from({ length: H }, (_, index) => formatUnitId({ kind, layer, index }))).flat());
    const bytes = new Map(units.map((u) => [u, new Uint8Array(chars)]));
    const nll = new Float32Array(chars).fill(NaN);
    const topIds = new Uint8Array(chars * TOP_N), topProbs = new Uint8Array(chars * TOP_N);
    // Where each scene's characters start: runs of one scene are contiguous.
    const first = new Int32Array(count + 1).fill(-1);
    for (let i = chars - 1; i >= 0; i--) first[layout.scene[i]] = i;
    first[count] = chars;

    const BATCH = 100;
    for (let s0 = 0; s0 < count; s0 += BATCH) {
      const part = scenes.slice(s0, s0 + BATCH);
      const B = part.length;
      const chunk = captionChunk(part.map(canonicalCaption));
      const T = chunk.steps;
      const out = tf.tidy(() => {
        const u = tf.matMul(encode(model.encoder, imagesTensor(part.map(renderScene))), model.Wv);
        const state = Array.from({ length: L }, () => zeroState(cell, B, H));
        const f = forward(cell, model.decoder, chunk.inputs, T, state, kinds.filter((k) => k !== "h"), undefined, { pre0: tf.tile(u, [T, 1]) as Tensor2D });
        return { logp: f.logp, layers: f.layers.map((l) => ({ h: l.h, ...l.series })) };
      });
      // Row t·B + b of every output is step t (after reading input t) of caption b.
      const logp = out.logp.dataSync() as Float32Array;
      const values = out.layers.map((l) => Object.fromEntries(Object.entries(l).map(([k, t]) => [k, t.dataSync() as Float32Array])));
      tf.dispose([out.logp, ...out.layers.flatMap((l) => Object.values(l))]);
      for (let b = 0; b < B; b++) {
        for (let i = first[s0 + b]; i < first[s0 + b + 1]; i++) {
          const row = layout.step[i] * B + b;
          for (const kind of kinds) {
            const range = kindRange(kind);
            for (let l = 0; l < L; l++) {
              const src = values[l][kind];
              for (let u = 0; u < H; u++) bytes.get(formatUnitId({ kind, layer: l, index: u }))![i] = quantize(src[row * H + u], range);
            }
          }
          if (!layout.guess[i]) continue;
          const p = logp.subarray(row * V, (row + 1) * V);
          nll[i] = -p[chunk.targets[row]];
          const order = Array.from(p.keys()).sort((x, y) => p[y] - p[x]).slice(0, TOP_N);
          order.forEach((id, k) => ((topIds[i * TOP_N + k] = id), (topProbs[i * TOP_N + k] = Math.round(Math.exp(p[id]) * 255))));
        }
      }
      o.onProgress?.(first[Math.min(count, s0 + B)], chars, "record");
    }

    const id = rec.id;
    const setDone = db.prepare(`UPDATE "Recording" SET "charsDone" = ? WHERE "id" = ?`);
    for (let a = 0; a < chars; a += CHUNK_CHARS) {
      const b = Math.min(chars, a + CHUNK_CHARS);
      const chunkUnits = new Map([...bytes].map(([u, v]) => [u, v.subarray(a, b)]));
      writeChunk(db, id, a / CHUNK_CHARS, chunkUnits, { nll: nll.subarray(a, b), topIds: topIds.subarray(a * TOP_N, b * TOP_N), topProbs: topProbs.subarray(a * TOP_N, b * TOP_N) }, () => void setDone.run(b, id));
    }
    const nats = await finishRecording(prisma, db, id, units, chars, CHUNK_CHARS, o.onProgress);
    return { recordingId: id, outcome: "recorded", chars, start: 0, seconds: (performance.now() - t0) / 1000, nats, rerun: [] };
  } finally {
    unlock();
    tf.dispose(Object.values(captionerNamed(model)));
  }
}
