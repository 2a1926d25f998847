/**
 * The units that move with a given one: every unit of the recording ranked by
 * Pearson r against it, on the search's machinery (every unit's bytes in one
 * SIMD matrix, or streamed through a block of them for a recording larger than
 * the cache's budget; Σq and Σq² stored at recording time, lib/search), so one
 * pass over the recording ranks them all. The cell page offers the best few to
 * compare with.
 */
import { prisma } from "../db.ts";
import { getModelContext } from "./model-context.ts";
import { rankUnits } from "../search/rank.ts";
import { isConstantUnit } from "../search/strength.ts";
import { unitDots } from "../search/load-units.ts";
import { openBulk, readUnit } from "../store/activations.ts";
import { parseUnitId } from "../store/quantize.ts";
import { resolveUnit } from "./get-cell.ts";

export interface Correlated {
  unit: string;
  /** Pearson r with the given unit over the whole recording. */
  r: number;
}

/**
 * The `count` units most correlated with `unit` (by |r|, then id), leaving out
 * constant units (whose r is noise) and the unit's own cell (its c and h, and
 * gates, of the same layer and index: one LSTM cell seen through different
 * readouts). Empty for a constant unit: nothing correlates with a constant.
 */
export async function findCorrelatedUnits(modelId: string, unit: string, count = 5): Promise<Correlated[]> {
  const ctx = await getModelContext(modelId);
  const u = resolveUnit(ctx, unit);
  const stds = await prisma.unit.findMany({ where: { recordingId: ctx.rec.id }, select: { unit: true, std: true } });
  const constant = new Set(stds.filter(isConstantUnit).map((s) => s.unit));
  if (!stds.some((s) => s.unit === unit) || constant.has(unit)) return [];
  const y = Float32Array.from(readUnit(openBulk(), ctx.rec.id, unit, ctx.rec.chars));
  // From the cached matrix, or streamed when the recording is larger than the cache's budget.
  const { series, dots } = await unitDots(ctx.rec, y);
  const { results } = rankUnits(series, { values: y, binary: false }, { dots });
  return results
    .filter((s) => {
      if (constant.has(s.unit)) return false;
      const v = parseUnitId(s.unit);
      return !(v.layer === u.layer && v.index === u.index);
    })
    .slice(0, count)
    .map((s) => ({ unit: s.unit, r: s.r }));
}
