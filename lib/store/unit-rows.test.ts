/**
 * The bulk connection's reads of recorded rows return exactly what Prisma
 * returns for the same rows (Prisma is the reference), on a real store with a
 * recording set-up has scored; and the Unit rows the recorder writes through
 * the bulk connection read back through Prisma as computed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_MODEL_DIR, FIXTURE_MODEL_ID as ID, throwawayStore } from "../testing/throwaway-store.ts";

const store = throwawayStore("unit-rows");
// Imported after throwawayStore(): lib/db.ts opens its client on CELLSCOPE_DB.
const { setupStore } = await import("../store/setup-store.ts");
const { prisma } = await import("../db.ts");
const { initBackend } = await import("../model/backend.ts");
const { recordModel } = await import("../record/record.ts");
const { scoreRecording } = await import("../setup/score-recording.ts");
const { readDetectorRows, readSignalScoreRows, readUnitLabelRow, readUnitRow } = await import("./unit-rows.ts");
const { openBulk, writeUnitRows } = await import("./activations.ts");
const { storedUnitRow } = await import("../record/unit-stats.ts");

let recordingId = 0;
beforeAll(async () => {
  await setupStore();
  await initBackend("wasm");
  recordingId = (await recordModel(prisma, { model: FIXTURE_MODEL_DIR, split: "test", chars: 1500, chunkChars: 1024, streams: 4, warmup: 50 })).recordingId;
  await scoreRecording(prisma, ID);
}, 120_000);
afterAll(store.remove);

describe("recorded rows through the bulk connection", () => {
  it("a unit's statistics row is Prisma's, field for field, and an unknown unit is null", async () => {
    const units = await prisma.unit.findMany({ where: { recordingId } });
    expect(units).toHaveLength(2 * 2 * 64);
    for (const u of units.filter((_, i) => i % 37 === 0)) expect(readUnitRow(recordingId, u.unit)).toEqual(u);
    expect(readUnitRow(recordingId, "c:0:64")).toBeNull();
    expect(readUnitRow(recordingId + 1, "c:0:1")).toBeNull();
  });

  it("Unit rows written through the bulk connection are what Prisma reads, and a rewrite replaces them all", async () => {
    const db = openBulk();
    const before = await prisma.unit.findMany({ where: { recordingId }, orderBy: { unit: "asc" } });
    for (const u of before.filter((_, i) => i % 41 === 0)) expect(u).toEqual(storedUnitRow(db, recordingId, u.unit, 1500));
    const some = before.slice(0, 3).map((u) => ({ ...u, mean: u.mean + 1, top: "[1,2]" }));
    writeUnitRows(db, recordingId, some);
    expect(await prisma.unit.findMany({ where: { recordingId }, orderBy: { unit: "asc" } })).toEqual(some);
    expect(() => writeUnitRows(db, recordingId, [{ ...before[5], recordingId: recordingId + 1 }])).toThrow(/for recording/);
    expect(await prisma.unit.count({ where: { recordingId } })).toBe(3); // the refused write changed nothing
    writeUnitRows(db, recordingId, before);
    expect(await prisma.unit.findMany({ where: { recordingId }, orderBy: { unit: "asc" } })).toEqual(before);
  });

  it("the shown recording read through the bulk connection is Prisma's row, dates as Dates, and each unit's sums are its row's", async () => {
    const { findRecording, SHOWN_RECORDING_ORDER } = await import("./recordings.ts");
    const { readUnitSums, countUnitRows } = await import("./unit-rows.ts");
    const want = await prisma.recording.findFirst({ where: { modelId: ID, status: "complete" }, orderBy: SHOWN_RECORDING_ORDER.map((o) => ({ ...o })) });
    const got = await findRecording(ID);
    expect(got).toEqual(want);
    expect(got.createdAt).toBeInstanceOf(Date);
    expect(got.completedAt).toBeInstanceOf(Date);
    await expect(findRecording("no-such-model")).rejects.toThrow(/unknown model/);
    const units = await prisma.unit.findMany({ where: { recordingId }, select: { unit: true, sumQ: true, sumQ2: true }, orderBy: { unit: "asc" } });
    expect(readUnitSums(recordingId)).toEqual(units);
    expect(countUnitRows(recordingId)).toBe(units.length);
  });

  it("a unit's signal scores are Prisma's, nulls included", async () => {
    const all = await prisma.signalScore.findMany({ where: { recordingId } });
    expect(all.some((s) => s.r === null)).toBe(true); // some signal never varies over 1,500 characters
    for (const unit of ["c:0:0", "h:1:63", "c:1:17"]) {
      const want = all.filter((s) => s.unit === unit).sort((a, b) => a.signal.localeCompare(b.signal));
      expect(want.length).toBeGreaterThan(5);
      expect(readSignalScoreRows(recordingId, unit).sort((a, b) => a.signal.localeCompare(b.signal))).toEqual(want);
    }
  });

  it("the signals a unit is the detector for are Prisma's, by signal name", async () => {
    const detectors = await prisma.detector.findMany({ where: { modelId: ID } });
    expect(detectors.length).toBeGreaterThan(0);
    for (const unit of new Set(detectors.map((d) => d.unit))) {
      expect(readDetectorRows(ID, unit)).toEqual(await prisma.detector.findMany({ where: { modelId: ID, unit }, orderBy: { signal: "asc" } }));
    }
    expect(readDetectorRows(ID, "c:0:99")).toEqual([]);
  });

  it("a unit's label, written through Prisma, reads back as Prisma's row (its date a Date), before and after an edit", async () => {
    expect(readUnitLabelRow(ID, "c:1:5")).toBeNull();
    await prisma.unitLabel.create({ data: { modelId: ID, unit: "c:1:5", label: "quote detector", note: "fires inside \"quotes\"" } });
    const first = readUnitLabelRow(ID, "c:1:5");
    expect(first).toEqual(await prisma.unitLabel.findUnique({ where: { modelId_unit: { modelId: ID, unit: "c:1:5" } } }));
    expect(first!.updatedAt).toBeInstanceOf(Date);
    await new Promise((r) => setTimeout(r, 5));
    await prisma.unitLabel.update({ where: { modelId_unit: { modelId: ID, unit: "c:1:5" } }, data: { note: "and apostrophes" } });
    const second = readUnitLabelRow(ID, "c:1:5");
    expect(second).toEqual(await prisma.unitLabel.findUnique({ where: { modelId_unit: { modelId: ID, unit: "c:1:5" } } }));
    expect(second!.note).toBe("and apostrophes");
    expect(second!.updatedAt.getTime()).toBeGreaterThan(first!.updatedAt.getTime());
    expect(readUnitLabelRow("other-model", "c:1:5")).toBeNull();
  });
});
