/**
 * The inspector: everything the model holds at one character. All units of
 * all layers (read from the per-recording cache that search also uses), and
 * the model's top-5 guesses for the next character with the loss it then paid.
 */
import { InputError } from "../api/errors.ts";
import { NotFoundError } from "../store/recordings.ts";
import { fitsUnitCache, loadUnitSeries } from "../search/load-units.ts";
import { openBulk, readChars, readColumn, TOP_N } from "../store/activations.ts";
import { dequantize, kindRange, parseUnitId, type UnitKind } from "../store/quantize.ts";
import { UNIT_KINDS } from "../model/unit-kinds.ts";
import { readModelJson } from "../model/model-file.ts";
import { WORDS } from "../captioning/words.ts";
import type { Model } from "../generated/prisma/client.ts";
import { fullRecording, getModelContext, recordingText } from "../cells/model-context.ts";
import { round3 } from "../cells/snippets.ts";

export interface UnitValue {
  unit: string;
  value: number;
}

export interface InspectedChar {
  model: string;
  at: number;
  total: number;
  /** The character at `at`. */
  char: string;
  /** The character after it (what the model tried to predict), or null at the end. */
  next: string | null;
  /** Loss on `next` after reading `char`, in nats and bits (null at the last character). */
  lossNats: number | null;
  lossBits: number | null;
  /** Top-5 guesses for the next character, most likely first. */
  guesses: { char: string; p: number; correct: boolean }[];
  /** Groups of units ("c" layer 0, …), each sorted from highest value to lowest. */
  groups: { kind: string; layer: number; units: UnitValue[] }[];
}

const vocabs = new Map<string, string[]>();

/** The model's vocabulary (index → character, from its model.json; a captioner's decoder: index → word). */
export function modelVocab(model: Pick<Model, "id" | "path" | "kind">): readonly string[] {
  if (model.kind === "captioner") return WORDS;
  let v = vocabs.get(model.id + "\0" + model.path);
  if (!v) {
    v = readModelJson(model.path).meta.vocab;
    vocabs.set(model.id + "\0" + model.path, v);
  }
  return v;
}

/** Checks a character offset against a recording of `total` characters. */
export function checkOffset(at: number, total: number): number {
  if (!Number.isInteger(at) || at < 0) throw new InputError("at must be a whole number ≥ 0", "bad_offset");
  if (at >= total) throw new NotFoundError(`offset ${at} is past the end of the recording (${total} characters, offsets 0 to ${total - 1})`);
  return at;
}

/** "c:0:2" before "c:0:10". One shared collator: localeCompare with options builds one per call, which made this sort the inspector's slowest step. */
const byUnitName = new Intl.Collator("en", { numeric: true }).compare;

export async function inspectChar(modelId: string, at: number): Promise<InspectedChar> {
  const ctx = await getModelContext(modelId);
  checkOffset(at, ctx.rec.chars);
  // Every unit's byte at `at`: from the cached matrix, or read from the store for a recording larger than the cache's budget.
  const [text, column] = await Promise.all([
    recordingText(ctx.rec.id),
    fitsUnitCache(ctx.rec).then(async (fits) =>
      fits ? (await loadUnitSeries(await fullRecording(ctx.rec))).map((s) => [s.unit, s.q[at]] as const) : [...readColumn(openBulk(), ctx.rec.id, ctx.rec.chunkChars, at)],
    ),
  ]);
  const { nll, topIds, topProbs } = readChars(openBulk(), ctx.rec.id, ctx.rec.chunkChars, at, at + 1);
  let vocab: readonly string[] = [];
  try {
    vocab = modelVocab(ctx.model);
  } catch {
    vocab = []; // the model folder moved: guesses show as ids
  }
  const next = at + 1 < ctx.rec.chars ? text.chars[at + 1] : null;
  const loss = Number.isFinite(nll[0]) && next !== null ? nll[0] : null;
  const guesses = [];
  for (let k = 0; k < TOP_N; k++) {
    const id = topIds[k];
    const p = topProbs[k] / 255;
    if (p === 0 && k > 0) continue;
    const char = vocab[id] ?? `#${id}`;
    guesses.push({ char, p: round3(p), correct: char === next });
  }
  const groups = new Map<string, { kind: string; layer: number; units: UnitValue[] }>();
  for (const [unit, byte] of column) {
    const u = parseUnitId(unit);
    const key = `${u.kind}:${u.layer}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kind: u.kind, layer: u.layer, units: [] }));
    g.units.push({ unit, value: round3(dequantize(byte, kindRange(u.kind as UnitKind))) });
  }
  const kindOrder = UNIT_KINDS as string[];
  const sorted = [...groups.values()].sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || a.layer - b.layer);
  for (const g of sorted) g.units.sort((a, b) => b.value - a.value || byUnitName(a.unit, b.unit));
  return {
    model: modelId,
    at,
    total: ctx.rec.chars,
    char: text.chars[at],
    next,
    lossNats: loss === null ? null : round3(loss),
    lossBits: loss === null ? null : round3(loss / Math.LN2),
    guesses,
    groups: sorted,
  };
}
