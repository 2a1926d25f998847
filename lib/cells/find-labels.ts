/**
 * Finding units by what people called them: a case-insensitive substring of
 * the label or the note ("quote" finds "Quote detector" and a note "…inside
 * quotes…"). Labels are few (typed by hand), so this reads them all and
 * matches in JavaScript, which lower-cases any script (SQLite's LIKE only
 * folds ASCII, and treats % and _ as wildcards).
 */
import { prisma } from "../db.ts";
import { checkModelId } from "../models/load-model.ts";
import { readPeakPreviewsAcross } from "./peak-preview.ts";
import type { Snippet } from "./snippets.ts";

export interface LabelMatch {
  model: string;
  unit: string;
  label: string;
  note: string;
  /** Whether the text was found in the label (else only in the note). */
  inLabel: boolean;
  updatedAt: string;
  preview: Snippet | null;
}

export interface LabelSearch {
  q: string;
  model: string | null;
  /** Matches before the limit. */
  total: number;
  matches: LabelMatch[];
}

const fold = (s: string) => s.normalize("NFKC").toLocaleLowerCase("en");

/** Labelled units whose label or note contains `q` (all of them when q is empty): label hits first, then by model and unit. */
export async function findLabels(q: string, opts: { model?: string; limit?: number; previews?: boolean } = {}): Promise<LabelSearch> {
  const model = opts.model ? checkModelId(opts.model) : null;
  const needle = fold(q.trim());
  const rows = await prisma.unitLabel.findMany({ where: model ? { modelId: model } : {}, orderBy: [{ modelId: "asc" }, { unit: "asc" }] });
  const hits = rows
    .map((r) => ({ r, inLabel: fold(r.label).includes(needle) }))
    .filter(({ r, inLabel }) => inLabel || fold(r.note).includes(needle))
    .sort((a, b) => Number(b.inLabel) - Number(a.inLabel));
  const shown = hits.slice(0, opts.limit ?? 50);
  const { previews } = opts.previews === false ? { previews: new Map<string, Snippet | null>() } : await readPeakPreviewsAcross(shown.map(({ r }) => ({ model: r.modelId, unit: r.unit })));
  const matches: LabelMatch[] = shown.map(({ r, inLabel }) => ({
    model: r.modelId,
    unit: r.unit,
    label: r.label,
    note: r.note,
    inLabel,
    updatedAt: r.updatedAt.toISOString(),
    preview: previews.get(`${r.modelId}/${r.unit}`) ?? null, // null too when the model is not recorded (yet)
  }));
  return { q: q.trim(), model, total: hits.length, matches };
}
