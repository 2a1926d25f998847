/** The labels of some units of one model, by unit (for views that show a few units, e.g. compare). */
import { prisma } from "../db.ts";

export async function getLabels(model: string, units: string[]): Promise<Map<string, { label: string; note: string }>> {
  const rows = await prisma.unitLabel.findMany({ where: { modelId: model, unit: { in: units } } });
  return new Map(rows.map((r) => [r.unit, { label: r.label, note: r.note }]));
}
