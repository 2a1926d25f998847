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
const { setupStore } = await import("../cli/serve.ts");
const { prisma } = await import("../db.ts");
const { initBackend } = await import("../model/backend.ts");
const { recordModel } = await import("../record/record.ts");
const { scoreRecording } = await import("../setup/score-recording.ts");
const { closeBulk } = await import("../store/activations.ts");
const { scoreSignals } = await import("../cells/score-signals.ts");
const { listGateStats, listUnitStats } = await import("./get-model.ts");

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
