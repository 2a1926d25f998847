/**
 * The models of one corpus side by side, the 2015 paper's Table 1 made live:
 * cell type, size, test loss, how many units track a built-in signal, and each
 * model's best unit per signal (set-up's detectors). With an LSTM, a GRU and a
 * vanilla RNN of one corpus, it says what the paper found: LSTM and GRU close,
 * the vanilla RNN clearly worse.
 */
import { prisma } from "../db.ts";
import { NotFoundError } from "../api/errors.ts";
import { SIGNALS, signalFits } from "../search/signals.ts";
import { isClearDetector } from "../search/strength.ts";
import { listModels, type ModelSummary } from "./list-models.ts";
import { countInterpretableUnits } from "./list-interpretable-units.ts";

export interface ComparedModel extends ModelSummary {
  /** Units that track a built-in signal clearly, of all recorded units (null: not recorded or not scored yet). */
  interpretable: { units: number; interpretable: number } | null;
}

export interface SignalRow {
  signal: string;
  description: string;
  /** Per model (in `models` order): its best unit for the signal, or null when set-up found none. */
  best: ({ unit: string; r: number; auc: number | null; clear: boolean } | null)[];
}

export interface CorpusComparison {
  corpus: string;
  chars: number;
  /** Lowest test loss first; models without one last. */
  models: ComparedModel[];
  /** The signals made for this corpus's kind of text (and any text). */
  signals: SignalRow[];
  /** What the comparison shows, in words (the paper's finding, checked against these numbers), when it can say. */
  finding: string | null;
}

export async function compareCorpusModels(corpusId: string): Promise<CorpusComparison> {
  const corpus = await prisma.corpus.findUnique({ where: { id: corpusId } });
  if (!corpus) throw new NotFoundError(`no corpus "${corpusId}"`);
  const all = (await listModels()).filter((m) => m.corpus === corpusId);
  const counts = await countInterpretableUnits(all.map((m) => m.id));
  const models: ComparedModel[] = all
    .map((m) => {
      const c = counts.get(m.id);
      return { ...m, interpretable: c && c.scored ? { units: c.units, interpretable: c.interpretable } : null };
    })
    .sort((a, b) => (a.testNats ?? Infinity) - (b.testNats ?? Infinity) || a.id.localeCompare(b.id));
  const detectors = await prisma.detector.findMany({ where: { modelId: { in: models.map((m) => m.id) } } });
  const signals = SIGNALS.filter((s) => signalFits(s.name, corpusId)).map((s) => ({
    signal: s.name,
    description: s.description,
    best: models.map((m) => {
      const d = detectors.find((x) => x.modelId === m.id && x.signal === s.name);
      return d ? { unit: d.unit, r: d.r, auc: d.auc, clear: isClearDetector(d) } : null;
    }),
  }));
  return { corpus: corpusId, chars: corpus.chars, models, signals, finding: describeFinding(models) };
}

/** The best test loss per cell type. */
function bestByCell(models: readonly Pick<ModelSummary, "cell" | "testNats">[]): Map<string, number> {
  const best = new Map<string, number>();
  for (const m of models) if (m.testNats !== null) best.set(m.cell, Math.min(best.get(m.cell) ?? Infinity, m.testNats));
  return best;
}

/**
 * The paper's comparison in words, from these models' test losses: how far the
 * GRU and the vanilla RNN are from the LSTM (nats/char). Null with fewer than
 * two cell types measured.
 */
export function describeFinding(models: readonly Pick<ModelSummary, "cell" | "testNats">[]): string | null {
  const best = bestByCell(models);
  const lstm = best.get("lstm");
  if (lstm === undefined || best.size < 2) return null;
  const parts: string[] = [];
  const gap = (cell: string) => best.get(cell)! - lstm;
  const say = (d: number) => `${Math.abs(d).toFixed(3)} nats/char ${d >= 0 ? "worse than" : "better than"} the best LSTM`;
  if (best.has("gru")) parts.push(`the best GRU is ${say(gap("gru"))}${Math.abs(gap("gru")) <= 0.05 ? " (close, as the paper found)" : ""}`);
  if (best.has("rnn")) parts.push(`the best vanilla RNN is ${say(gap("rnn"))}${gap("rnn") > 0.05 ? " (clearly worse, as the paper found)" : ""}`);
  return parts.length ? `On this corpus's test split, ${parts.join("; ")}.` : null;
}
