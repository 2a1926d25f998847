/**
 * Every unit of a model described in words (./describe-unit.ts), for finding
 * units by what they do (the labels page searches these beside labels). Read
 * once per recording and kept: a recording's statistics never change.
 */
import { isConstantUnit } from "../search/strength.ts";
import { signalFits } from "../search/signals.ts";
import { getModelContext, recordingText } from "./model-context.ts";
import { openBulk, statement } from "../store/activations.ts";
import { sharedMap } from "../store/shared-map.ts";
import { describeUnit } from "./describe-unit.ts";

const described = sharedMap<number, Promise<Map<string, string>>>("unit-descriptions");

/** unit id → description, for the units with one (recording order). */
export function describeModelUnits(modelId: string): Promise<Map<string, string>> {
  return getModelContext(modelId).then((ctx) => {
    let p = described.get(ctx.rec.id);
    if (!p) {
      p = (async () => {
        const { chars } = await recordingText(ctx.rec.id);
        const db = openBulk();
        const rows = statement(db, `SELECT "unit", "top", "bottom", "mean", "std" FROM "Unit" WHERE "recordingId" = ? ORDER BY "kind", "layer", "index"`).all(ctx.rec.id) as { unit: string; top: string; bottom: string; mean: number; std: number }[];
        const scores = new Map<string, { signal: string; r: number | null; auc: number | null }[]>();
        for (const s of statement(db, `SELECT "unit", "signal", "r", "auc" FROM "SignalScore" WHERE "recordingId" = ?`).iterate(ctx.rec.id) as Iterable<{ unit: string; signal: string; r: number | null; auc: number | null }>) {
          let list = scores.get(s.unit);
          if (!list) scores.set(s.unit, (list = []));
          list.push(s);
        }
        const fits = (signal: string) => signalFits(signal, ctx.model.corpusId);
        const out = new Map<string, string>();
        for (const r of rows) {
          const d = describeUnit({ top: JSON.parse(r.top), bottom: JSON.parse(r.bottom), chars, scores: scores.get(r.unit) ?? [], constant: isConstantUnit(r), mean: r.mean, fits });
          if (d) out.set(r.unit, d);
        }
        return out;
      })();
      described.set(ctx.rec.id, p);
      p.catch(() => described.delete(ctx.rec.id));
      while (described.size > 16) described.delete(described.keys().next().value!);
    }
    return p;
  });
}
