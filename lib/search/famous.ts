/**
 * The famous detectors among set-up's (one best unit per model and signal):
 * those of a signal in FAMOUS_SIGNALS, made for the model's kind of text, that
 * track it clearly. The home page leads with them and set-up seeds "the famous
 * five" from them; both read this one rule.
 */
import { FAMOUS_SIGNALS, signalFits } from "./signals.ts";
import { isClearDetector } from "./strength.ts";

export interface DetectorLike {
  model: string;
  signal: string;
  unit: string;
  r: number;
  auc: number | null;
}

/** Corpus of each model ("warpeace"), for signalFits. */
export type CorpusOf = ReadonlyMap<string, string>;

export function isFamousDetector(d: DetectorLike, corpusOf: CorpusOf): boolean {
  return FAMOUS_SIGNALS.includes(d.signal) && signalFits(d.signal, corpusOf.get(d.model) ?? "") && isClearDetector(d);
}

const rank = (signal: string) => FAMOUS_SIGNALS.indexOf(signal);
const byStrength = (a: DetectorLike, b: DetectorLike) => Math.abs(b.r) - Math.abs(a.r) || rank(a.signal) - rank(b.signal);

/**
 * Each model's famous detectors, strongest |r| first. Models come in the
 * order of their earliest famous signal (the model with a quote cell first,
 * then code, then LaTeX, as the 2015 paper shows them), then by id; models
 * with none are left out.
 */
export function groupFamousDetectors<T extends DetectorLike>(detectors: readonly T[], corpusOf: CorpusOf): { model: string; detectors: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const d of detectors) if (isFamousDetector(d, corpusOf)) groups.set(d.model, [...(groups.get(d.model) ?? []), d]);
  const lead = (ds: T[]) => Math.min(...ds.map((d) => rank(d.signal)));
  return [...groups]
    .map(([model, ds]) => ({ model, detectors: ds.sort(byStrength) }))
    .sort((a, b) => lead(a.detectors) - lead(b.detectors) || a.model.localeCompare(b.model));
}

/**
 * "The famous five": for each famous signal in order, its strongest famous
 * detector over all models, skipping a unit already taken (a Linux cell can be
 * the best for both `if` conditions and the column); the first `count`.
 */
export function pickFamousFive<T extends DetectorLike>(detectors: readonly T[], corpusOf: CorpusOf, count = 5): T[] {
  const famous = detectors.filter((d) => isFamousDetector(d, corpusOf));
  const out: T[] = [];
  for (const signal of FAMOUS_SIGNALS) {
    const best = famous.filter((d) => d.signal === signal && !out.some((o) => o.model === d.model && o.unit === d.unit)).sort(byStrength)[0];
    if (best) out.push(best);
    if (out.length === count) break;
  }
  return out;
}
