/** What the collection modules return, and the checks they share. */
import { prisma } from "../db.ts";
import { NotFoundError } from "../api/errors.ts";
import { resolveUnit } from "../cells/get-cell.ts";
import { getModelContext } from "../cells/model-context.ts";
import { formatUnitId } from "../store/quantize.ts";

export interface CollectionSummary {
  slug: string;
  title: string;
  description: string;
  /** Number of units in it. */
  units: number;
  /** Models its units come from, in order of first appearance. */
  models: string[];
  createdAt: string;
  updatedAt: string;
}

type Row = { slug: string; title: string; description: string; createdAt: Date; updatedAt: Date; items: { modelId: string }[] };

export function toSummary(row: Row): CollectionSummary {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    units: row.items.length,
    models: [...new Set(row.items.map((i) => i.modelId))],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Include for toSummary's rows: just enough of the items to count them and name their models. */
export const SUMMARY_ITEMS = { items: { select: { modelId: true }, orderBy: { position: "asc" } } } as const;

/** The collection's row; NotFoundError (404) when there is none. */
export async function findCollection(slug: string) {
  const row = await prisma.collection.findUnique({ where: { slug } });
  if (!row) throw new NotFoundError(`no collection "${slug}"`);
  return row;
}

/** The unit's canonical id ("h:01:5" → "h:1:5") once the model and unit are known to exist (400/404 otherwise). */
export async function checkItem(model: string, unit: string): Promise<string> {
  return formatUnitId(resolveUnit(await getModelContext(model), unit));
}
