/**
 * The recorded rows the cell page reads on every view (a unit's statistics,
 * its signal scores, the signals it is the model's detector for), read through
 * the store's bulk better-sqlite3 connection as prepared statements: the same
 * rows Prisma writes and returns, at tens of microseconds a read instead of the
 * milliseconds of CPU a Prisma query costs (its query compiler runs per call).
 * Under 32 connections that CPU is what a cell page waits behind. Most rows are
 * set-up's and the recorder's; a unit's label is the user's: it is written
 * through Prisma (lib/cells/set-label.ts) and read here too, which sees every
 * committed write (WAL), as Prisma's own reads do.
 */
import type { Detector, SignalScore, Unit, UnitLabel } from "../generated/prisma/client.ts";
import { openBulk, statement } from "./activations.ts";

/** Every unit's sums of a recording (search's part of its statistics row), in unit order (SQLite's binary order, as the activation chunks sort). */
export function readUnitSums(recordingId: number): { unit: string; sumQ: number; sumQ2: number }[] {
  return statement(openBulk(), `SELECT "unit", "sumQ", "sumQ2" FROM "Unit" WHERE "recordingId" = ? ORDER BY "unit"`).all(recordingId) as { unit: string; sumQ: number; sumQ2: number }[];
}

/** How many units a recording has statistics rows for. */
export function countUnitRows(recordingId: number): number {
  return (statement(openBulk(), `SELECT count(*) AS "n" FROM "Unit" WHERE "recordingId" = ?`).get(recordingId) as { n: number }).n;
}

/** One unit's statistics row of a recording, or null. */
export function readUnitRow(recordingId: number, unit: string): Unit | null {
  const row = statement(openBulk(), `SELECT * FROM "Unit" WHERE "recordingId" = ? AND "unit" = ?`).get(recordingId, unit) as Unit | undefined;
  return row ?? null;
}

/** One unit's scores against the built-in signals that set-up stored. */
export function readSignalScoreRows(recordingId: number, unit: string): SignalScore[] {
  return statement(openBulk(), `SELECT * FROM "SignalScore" WHERE "recordingId" = ? AND "unit" = ?`).all(recordingId, unit) as SignalScore[];
}

/** The signals one unit is the model's detector for, by signal name. */
export function readDetectorRows(modelId: string, unit: string): Detector[] {
  return statement(openBulk(), `SELECT * FROM "Detector" WHERE "modelId" = ? AND "unit" = ? ORDER BY "signal"`).all(modelId, unit) as Detector[];
}

/** SQLite has no date type: Prisma stores a DateTime as ISO text (or, from older writers, milliseconds). */
export const toDate = (v: string | number | Date): Date => (v instanceof Date ? v : new Date(v));

/** One unit's label, or null. */
export function readUnitLabelRow(modelId: string, unit: string): UnitLabel | null {
  const row = statement(openBulk(), `SELECT * FROM "UnitLabel" WHERE "modelId" = ? AND "unit" = ?`).get(modelId, unit) as (Omit<UnitLabel, "updatedAt"> & { updatedAt: string | number }) | undefined;
  return row ? { ...row, updatedAt: toDate(row.updatedAt) } : null;
}
