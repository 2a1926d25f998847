/**
 * Finding units by what people called them: a case-insensitive substring of
 * the label or the note ("quote" finds "Quote detector" and a note "…inside
 * quotes…"). Labels are few (typed by hand), so this reads them all and
 * matches in JavaScript, which lower-cases any script (SQLite's LIKE only
 * folds ASCII, and treats % and _ as wildcards).
 */
import { prisma } from "../db.ts";
import { checkModelId } from "./model-context.ts";
import { readPeakPreviewsAcross } from "./peak-preview.ts";
import { describeModelUnits } from "./describe-units.ts";
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

/** A unit found by its description (./describe-units.ts) rather than a label. */
export interface DescribedMatch {
  model: string;
  unit: string;
  description: string;
  preview: Snippet | null;
}

export interface LabelSearch {
  q: string;
  model: string | null;
  /** Matches before the limit. */
  total: number;
  matches: LabelMatch[];
  /** With a query: unlabelled units of the recorded models whose description contains it, and how many there are. */
  described: DescribedMatch[];
  describedTotal: number;
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
  // With a query, units whose description says it too (those with a label are above already).
  const labelled = new Set(rows.map((r) => `${r.modelId}/${r.unit}`));
  const describedHits: { model: string; unit: string; description: string }[] = [];
  if (needle) {
    const models = model ? [model] : (await prisma.recording.findMany({ where: { status: "complete" }, select: { modelId: true }, distinct: ["modelId"], orderBy: { modelId: "asc" } })).map((r) => r.modelId);
    for (const m of models) {
      let all: Map<string, string>;
      try {
        all = await describeModelUnits(m);
      } catch {
        continue; // not recorded (yet)
      }
      for (const [unit, description] of all) if (!labelled.has(`${m}/${unit}`) && fold(description).includes(needle)) describedHits.push({ model: m, unit, description });
    }
  }
  const describedShown = describedHits.slice(0, opts.limit ?? 50);
  const more = opts.previews === false ? new Map<string, Snippet | null>() : (await readPeakPreviewsAcross(describedShown)).previews;
  return {
    q: q.trim(),
    model,
    total: hits.length,
    matches,
    described: describedShown.map((d) => ({ ...d, preview: more.get(`${d.model}/${d.unit}`) ?? null })),
    describedTotal: describedHits.length,
  };
}
