/**
 * The model and recording every explorer view starts from: the Model row, its
 * shown recording (the one `findRecording` in lib/store/recordings.ts picks:
 * complete, test split first, most characters) without its text, and the text
 * itself as code points, cached per recording (a recording never changes once
 * complete; a re-recorded model gets a new id).
 */
import { cache } from "react";
import { prisma } from "../db.ts";
import type { Model, Recording } from "../generated/prisma/client.ts";
import { NotFoundError, SHOWN_RECORDING_ORDER } from "../store/recordings.ts";
import { InputError } from "../api/errors.ts";
import { openBulk } from "../store/activations.ts";
import { MODEL_ID_PATTERN } from "../model/model-id.ts";
import { sharedMap } from "../store/shared-map.ts";
import { getLoadedModel, type LoadedModel } from "../model/model-file.ts";

export type RecordingMeta = Omit<Recording, "text" | "context">;

export interface ModelContext {
  model: Model;
  rec: RecordingMeta;
  /** Kinds recorded, e.g. ["c", "h"]. */
  kinds: string[];
}

/**
 * Checks the shape of a model id (from a URL); unknown ids are a NotFoundError
 * later. Routes check it in their zod schema already: this guards the pages
 * and any other caller.
 */
export function checkModelId(id: string): string {
  if (!MODEL_ID_PATTERN.test(id)) throw new InputError(`"${id.slice(0, 40)}" is not a model id (letters, digits, ".", "_" and "-")`, "bad_model");
  return id;
}

/** The Recording columns but its text (Prisma's `omit` costs ~10 ms a query in its JS engine; `select` does not). */
const RECORDING_META = {
  id: true,
  modelId: true,
  split: true,
  start: true,
  chars: true,
  kinds: true,
  chunkChars: true,
  status: true,
  charsDone: true,
  nats: true,
  createdAt: true,
  completedAt: true,
} as const satisfies Record<keyof RecordingMeta, true>;

// Model contexts across requests, valid while the store is unchanged: SQLite's
// data_version (read on the bulk connection, which never writes in the app)
// moves whenever any other connection commits, a label write or a set-up in
// another process included.
const contexts = sharedMap<string, { version: number; ctx: ModelContext }>("contexts");

/**
 * The model and its shown recording; NotFoundError when either is missing.
 * Read once per change of the store (every explorer request starts here), and
 * within one server render (React's `cache`) repeated calls share one lookup.
 */
export const getModelContext = cache(async function getModelContext(modelId: string): Promise<ModelContext> {
  checkModelId(modelId);
  const version = openBulk().pragma("data_version", { simple: true }) as number;
  const hit = contexts.get(modelId);
  if (hit && hit.version === version) return hit.ctx;
  const model = await prisma.model.findUnique({ where: { id: modelId } });
  if (!model) throw new NotFoundError(`unknown model "${modelId}"`);
  // findRecording's choice, without reading the text on every request.
  const rec = await prisma.recording.findFirst({
    where: { modelId, status: "complete" },
    orderBy: SHOWN_RECORDING_ORDER.map((o) => ({ ...o })),
    select: RECORDING_META,
  });
  if (!rec) throw new NotFoundError(`model "${modelId}" has no complete recording yet: run cellscope record --model ${modelId}`);
  const ctx = { model, rec, kinds: rec.kinds.split(",") };
  contexts.set(modelId, { version, ctx });
  return ctx;
});

interface TextEntry {
  text: string;
  context: string;
  chars: string[];
}

const texts = sharedMap<number, Promise<TextEntry>>("texts");

/** A recording's text (and the context before it), split into code points; cached for the 8 most recent recordings. */
export function recordingText(recordingId: number): Promise<TextEntry> {
  let p = texts.get(recordingId);
  if (p) {
    texts.delete(recordingId);
    texts.set(recordingId, p);
    return p;
  }
  p = prisma.recording
    .findUniqueOrThrow({ where: { id: recordingId }, select: { text: true, context: true } })
    .then((r) => ({ text: r.text, context: r.context, chars: Array.from(r.text) }));
  texts.set(recordingId, p);
  p.catch(() => texts.delete(recordingId));
  while (texts.size > 8) texts.delete(texts.keys().next().value!);
  return p;
}

/** The full Recording row (with text), for lib/search, which wants one. */
export async function fullRecording(rec: RecordingMeta): Promise<Recording> {
  const t = await recordingText(rec.id);
  return { ...rec, text: t.text, context: t.context };
}

/** Characters [start, end) of a recording's text as code points. */
export async function textSlice(recordingId: number, start: number, end: number): Promise<string[]> {
  return (await recordingText(recordingId)).chars.slice(start, end);
}

/**
 * The char model behind a context, for the views that run it live (typed
 * text, knock-outs, effects, error analysis). A captioner's decoder is in the
 * store too (kind "captioner", recorded over test captions) but reads words
 * from a picture, not typed characters: those views refuse it with a pointer
 * to where it runs.
 */
export function getCharModel(ctx: ModelContext): LoadedModel {
  if (ctx.model.kind === "captioner") {
    throw new InputError(`${ctx.model.id} is a captioner's decoder: it reads words from a picture, not typed text; caption a scene on /captioning`, "captioner_model");
  }
  return getLoadedModel(ctx.model.path);
}
