/**
 * The model page's data on a real store: the unit map's best signal score
 * per unit, and the gate-saturation scatter read from a separate, shorter
 * recording with the gates when the shown one has none.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cellscope-get-model-"));
const saved = process.env.CELLSCOPE_DB;
process.env.CELLSCOPE_DB = path.join(dir, "store.db");
const MODEL_DIR = path.resolve(import.meta.dirname, "../../e2e/fixtures/models/warpeace-2x64");
const ID = "warpeace-2x64";

// Imported after CELLSCOPE_DB is set: lib/db.ts opens its client on that file.
const { setupStore } = await import("../store/setup-store.ts");
const { prisma } = await import("../db.ts");
const { initBackend } = await import("../model/backend.ts");
const { recordModel } = await import("../record/record.ts");
const { scoreRecording } = await import("../setup/score-recording.ts");
const { closeBulk } = await import("../store/activations.ts");
const { scoreSignals } = await import("./score-signals.ts");
const { listGateStats, listUnitStats, parseTraining } = await import("./get-model.ts");
const { countInterpretableUnits, listInterpretableUnits } = await import("./list-interpretable-units.ts");
const { signalFits } = await import("../search/signals.ts");

const record = (chars: number, gates: boolean) => recordModel(prisma, { model: MODEL_DIR, split: "test", chars, gates, chunkChars: 1024, streams: 4, warmup: 50 });

beforeAll(async () => {
  await setupStore();
  await initBackend("wasm");
  await record(2000, false);
  await scoreRecording(prisma, ID);
}, 120_000);

afterAll(async () => {
  await prisma.$disconnect();
  closeBulk();
  if (saved === undefined) delete process.env.CELLSCOPE_DB;
  else process.env.CELLSCOPE_DB = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("unit map", () => {
  it("gives every unit its strongest |r| against a built-in signal, and which signal", async () => {
    const units = await listUnitStats(ID);
    expect(units).toHaveLength(2 * 2 * 64);
    for (const unit of ["c:1:3", "h:0:17"]) {
      const scores = (await scoreSignals(ID, unit)).filter((s) => s.r !== null);
      const best = scores.reduce((a, b) => (Math.abs(b.r!) > Math.abs(a.r!) ? b : a));
      const u = units.find((x) => x.unit === unit)!;
      expect(u.signal).toBeCloseTo(Math.abs(best.r!), 9);
      expect(u.signalName).toBe(best.signal);
    }
    for (const u of units) expect(u.signal).toBeGreaterThanOrEqual(0);
  });
});

describe("interpretable units", () => {
  it("are the units that move and score |r| ≥ 0.5, or AUC 0.35 from chance, against a signal made for their text", async () => {
    const list = await listInterpretableUnits(ID);
    expect(list.units).toBe(2 * 2 * 64);
    expect(list.scored).toBe(true);
    // The lecture's rule, read straight from set-up's scores.
    const rows = await prisma.signalScore.findMany({ where: { recordingId: (await prisma.recording.findFirstOrThrow({ where: { modelId: ID } })).id } });
    const moving = new Set((await prisma.unit.findMany({ where: { std: { gte: 0.001 } }, select: { unit: true } })).map((u) => u.unit));
    const named = (s: (typeof rows)[number]) => s.r !== null && signalFits(s.signal, "warpeace") && (Math.abs(s.r) >= 0.5 || (s.auc !== null && Math.abs(s.auc - 0.5) >= 0.35));
    const expected = new Set(rows.filter((s) => named(s) && moving.has(s.unit)).map((s) => s.unit));
    expect(new Set(list.interpretable.map((u) => u.unit))).toEqual(expected);
    expect(expected.size).toBeGreaterThan(0);
    expect(expected.size).toBeLessThan(list.units);
    // Each is shown with the signal it tracks best among those, and its scores.
    for (const u of list.interpretable) {
      const best = rows.filter((s) => s.unit === u.unit && named(s)).reduce((a, b) => (Math.abs(b.r!) > Math.abs(a.r!) ? b : a));
      expect([u.signal, u.r, u.auc]).toEqual([best.signal, best.r, best.auc]);
      expect(u.unit).toBe(`${u.kind}:${u.layer}:${u.unit.split(":")[2]}`);
    }
    // With its label, once it has one.
    const first = list.interpretable[0].unit;
    expect(list.interpretable[0].label).toBeNull();
    await prisma.unitLabel.create({ data: { modelId: ID, unit: first, label: "a named cell" } });
    expect((await listInterpretableUnits(ID)).interpretable[0]).toMatchObject({ unit: first, label: "a named cell" });
    expect(await countInterpretableUnits([ID, "not-recorded"])).toEqual(new Map([[ID, { units: list.units, interpretable: expected.size, scored: true }]]));
    await prisma.unitLabel.deleteMany({ where: { modelId: ID } });
  });
});

describe("gate saturation", () => {
  it("is null until the gates are recorded, then read from the recording that has them", async () => {
    expect(await listGateStats(ID)).toBeNull();
    // A shorter recording with the gates: the views keep showing the longer one without them.
    const side = await record(1000, true);
    const gates = (await listGateStats(ID))!;
    expect(gates.recording).toEqual({ id: side.recordingId, chars: 1000, shown: false });
    expect(gates.units).toHaveLength(3 * 2 * 64);
    expect(new Set(gates.units.map((u) => u.kind))).toEqual(new Set(["i", "f", "o"]));
    for (const g of gates.units) {
      expect(g.satLeft).toBeGreaterThanOrEqual(0);
      expect(g.satLeft + g.satRight).toBeLessThanOrEqual(1 + 1e-9);
    }
    // The unit map still shows only the shown recording's kinds.
    expect(new Set((await listUnitStats(ID)).map((u) => u.kind))).toEqual(new Set(["c", "h"]));
  }, 60_000);

  it("comes from the shown recording when that one has the gates", async () => {
    const longer = await record(3000, true);
    const gates = (await listGateStats(ID))!;
    expect(gates.recording).toEqual({ id: longer.recordingId, chars: 3000, shown: true });
  }, 60_000);
});

describe("a model's training record", () => {
  it("gives its samples over training oldest first, drops a malformed one, and none for a model trained before they were kept", () => {
    const s = (iteration: number, text: string) => ({ iteration, epoch: iteration / 500, loss: 4 - iteration / 1000, text });
    const t = parseTraining(JSON.stringify({ iterations: 2000, samples: [s(1200, "later"), { iteration: "x" }, { ...s(100, "first"), validNats: 3.1 }] }));
    expect(t.samples.map((x) => [x.iteration, x.text])).toEqual([
      [100, "first"],
      [1200, "later"],
    ]);
    expect(t.samples[0].validNats).toBe(3.1);
    expect(t.iterations).toBe(2000);
    expect(parseTraining(JSON.stringify({ iterations: 5 })).samples).toEqual([]);
    expect(parseTraining("not json").samples).toEqual([]);
  });
});
