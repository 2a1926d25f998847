/**
 * A user's label and note on a unit ("quote detector"). Writes are refused in
 * read-only mode (CELLSCOPE_READ_ONLY=1), where the UI hides its write buttons.
 */
import { z } from "zod";
import { writeStore } from "../db.ts";
import { ForbiddenError } from "../api/errors.ts";
import { MAX_LABEL_CHARS, MAX_NOTE_CHARS } from "../api/limits.ts";
import { getModelContext } from "./model-context.ts";
import { resolveUnit } from "./get-cell.ts";

export function isReadOnly(env: Record<string, string | undefined> = process.env): boolean {
  const v = env.CELLSCOPE_READ_ONLY?.trim().toLowerCase();
  return v === "1" || v === "true" || v === "yes";
}

/**
 * A label is one line of plain text, a note a few lines. Markup is kept as
 * typed (a label may well be "<p> detector"): React renders both as text.
 * Control characters are refused: they cannot be typed and only garble pages.
 */
export const LabelInput = z.object(
  {
    label: z
      .string({ message: "label must be a string" })
      .trim()
      .min(1, "the label is empty")
      .max(MAX_LABEL_CHARS, `the label is longer than ${MAX_LABEL_CHARS} characters`)
      .regex(/^[^\p{Cc}]*$/u, "the label must be one line of text (no control characters)"),
    note: z
      .string({ message: "note must be a string" })
      .trim()
      .max(MAX_NOTE_CHARS, `the note is longer than ${MAX_NOTE_CHARS} characters`)
      .regex(/^(?:[^\p{Cc}]|[\n\r\t])*$/u, "the note may not contain control characters other than line breaks and tabs")
      .default(""),
  },
  { message: 'the body must be a JSON object: {"label": "…", "note": "…"}' },
);
export type LabelInput = z.infer<typeof LabelInput>;

export interface UnitLabelInfo {
  model: string;
  unit: string;
  label: string;
  note: string;
  updatedAt: string;
}

function assertWritable() {
  if (isReadOnly()) throw new ForbiddenError("this Cellscope is read-only (CELLSCOPE_READ_ONLY is set): labels cannot be changed");
}

export async function setLabel(modelId: string, unit: string, input: LabelInput): Promise<UnitLabelInfo> {
  assertWritable();
  const ctx = await getModelContext(modelId);
  resolveUnit(ctx, unit);
  const row = await writeStore((db) =>
    db.unitLabel.upsert({
      where: { modelId_unit: { modelId, unit } },
      create: { modelId, unit, label: input.label, note: input.note },
      update: { label: input.label, note: input.note },
    }),
  );
  return { model: modelId, unit, label: row.label, note: row.note, updatedAt: row.updatedAt.toISOString() };
}

export async function deleteLabel(modelId: string, unit: string): Promise<{ model: string; unit: string; deleted: boolean }> {
  assertWritable();
  const ctx = await getModelContext(modelId);
  resolveUnit(ctx, unit);
  const r = await writeStore((db) => db.unitLabel.deleteMany({ where: { modelId, unit } }));
  return { model: modelId, unit, deleted: r.count > 0 };
}
