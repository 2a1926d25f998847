/**
 * A user's label and note on a unit ("quote detector"). Writes are refused in
 * read-only mode (CELLSCOPE_READ_ONLY=1), where the UI hides its write buttons.
 */
import { z } from "zod";
import { prisma } from "../db.ts";
import { ForbiddenError } from "../api/errors.ts";
import { loadModel } from "../models/load-model.ts";
import { resolveUnit } from "./get-cell.ts";

export function isReadOnly(env: Record<string, string | undefined> = process.env): boolean {
  const v = env.CELLSCOPE_READ_ONLY?.trim().toLowerCase();
  return v === "1" || v === "true" || v === "yes";
}

export const LabelInput = z.object({
  label: z.string().trim().min(1, "the label is empty").max(80, "the label is longer than 80 characters"),
  note: z.string().trim().max(2000, "the note is longer than 2000 characters").default(""),
});
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
  const ctx = await loadModel(modelId);
  resolveUnit(ctx, unit);
  const row = await prisma.unitLabel.upsert({
    where: { modelId_unit: { modelId, unit } },
    create: { modelId, unit, label: input.label, note: input.note },
    update: { label: input.label, note: input.note },
  });
  return { model: modelId, unit, label: row.label, note: row.note, updatedAt: row.updatedAt.toISOString() };
}

export async function deleteLabel(modelId: string, unit: string): Promise<{ model: string; unit: string; deleted: boolean }> {
  assertWritable();
  const ctx = await loadModel(modelId);
  resolveUnit(ctx, unit);
  const r = await prisma.unitLabel.deleteMany({ where: { modelId, unit } });
  return { model: modelId, unit, deleted: r.count > 0 };
}
