/**
 * Every unit of a recording scored against every built-in signal, in one pass
 * over the search engine (the same numbers a search gives: the SIMD Σ q·y
 * kernel, AUC for every unit of an on/off signal). Set-up stores them
 * (lib/setup/score-recording.ts): the cell page then reads a unit's scores,
 * and each signal's best unit is its detector.
 */
import type { Recording } from "../generated/prisma/client.ts";
import { loadUnits } from "./load-units.ts";
import { rankUnits, type Ranking } from "./rank.ts";
import { signalFor } from "./search.ts";
import { SIGNALS, type SignalInfo } from "./signals.ts";

export interface SignalRanking {
  signal: SignalInfo;
  /**
   * Every unit, best first by |r| (as a search ranks by default, so the
   * gallery's detector is the unit a search names first), each with its AUC
   * for on/off signals.
   */
  ranking: Ranking;
}

export async function scoreAllUnits(rec: Recording): Promise<{ units: string[]; rankings: SignalRanking[] }> {
  const { series, matrix } = await loadUnits(rec);
  const rankings: SignalRanking[] = [];
  for (const info of SIGNALS) {
    const signal = await signalFor(rec, { signal: info.name, limit: series.length, sort: "r" });
    // No limit, so an on/off signal's AUC is computed for every unit (the cell page shows it).
    const ranking = rankUnits(series, signal, { sort: "r", dots: matrix.dotAll(signal.values) });
    rankings.push({ signal: info, ranking });
  }
  return { units: series.map((s) => s.unit), rankings };
}
