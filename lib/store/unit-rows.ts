/**
 * The recorded rows the cell page reads on every view (a unit's statistics,
 * its signal scores, the signals it is the model's detector for), read through
 * the store's bulk better-sqlite3 connection as prepared statements: the same
 * rows Prisma writes and returns, at tens of microseconds a read instead of the
 * milliseconds of CPU a Prisma query costs (its query compiler runs per call).
 * Under 32 connections that CPU is what a cell page waits behind. The rows are
 * set-up's and the recorder's, never a user's: user-written tables (labels,
 * collections) are read through Prisma.
 */
import type { Detector, SignalScore, Unit } from "../generated/prisma/client.ts";
import { openBulk } from "./activations.ts";

/** One unit's statistics row of a recording, or null. */
export function readUnitRow(recordingId: number, unit: string): Unit | null {
  const row = openBulk().prepare(`SELECT * FROM "Unit" WHERE "recordingId" = ? AND "unit" = ?`).get(recordingId, unit) as Unit | undefined;
  return row ?? null;
}

/** One unit's scores against the built-in signals that set-up stored. */
export function readSignalScoreRows(recordingId: number, unit: string): SignalScore[] {
  return openBulk().prepare(`SELECT * FROM "SignalScore" WHERE "recordingId" = ? AND "unit" = ?`).all(recordingId, unit) as SignalScore[];
}

/** The signals one unit is the model's detector for, by signal name. */
export function readDetectorRows(modelId: string, unit: string): Detector[] {
  return openBulk().prepare(`SELECT * FROM "Detector" WHERE "modelId" = ? AND "unit" = ? ORDER BY "signal"`).all(modelId, unit) as Detector[];
}
