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
import { NotFoundError } from "../store/recordings.ts";
import { InputError } from "../api/errors.ts";
import { MODEL_ID_PATTERN } from "../api/params.ts";

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

/**
 * The model and its shown recording; NotFoundError when either is missing.
 * Within one server render (React's `cache`) repeated calls share one query.
 */
export const loadModel = cache(async function loadModel(modelId: string): Promise<ModelContext> {
  checkModelId(modelId);
  const model = await prisma.model.findUnique({ where: { id: modelId } });
  if (!model) throw new NotFoundError(`unknown model "${modelId}"`);
  // Same choice as findRecording(), without reading the text on every request.
  const rec = await prisma.recording.findFirst({
    where: { modelId, status: "complete" },
    orderBy: [{ split: "desc" }, { chars: "desc" }, { id: "desc" }],
    omit: { text: true, context: true },
  });
  if (!rec) throw new NotFoundError(`model "${modelId}" has no complete recording yet: run cellscope record --model ${modelId}`);
  return { model, rec, kinds: rec.kinds.split(",") };
});

interface TextEntry {
  text: string;
  context: string;
  chars: string[];
}

const texts = new Map<number, Promise<TextEntry>>();

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
