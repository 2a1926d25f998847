/**
 * The cell page's data layer for where to look and what goes with a unit:
 * the telling stretch it opens at, unit previews with contrast, constant
 * units skipped by prev/next, the most correlated units, and what a bad unit
 * URL is told. Pure logic on small series; the rest against a real store (the
 * e2e fixture model recorded over a slice of its test split).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cellscope-cell-views-"));
const saved = process.env.CELLSCOPE_DB;
process.env.CELLSCOPE_DB = path.join(dir, "store.db");
const MODEL_DIR = path.resolve(import.meta.dirname, "../../e2e/fixtures/models/warpeace-2x64");
const ID = "warpeace-2x64";
const CHARS = 8000;

// Imported after CELLSCOPE_DB is set: lib/db.ts opens its client on that file.
const { setupStore } = await import("../store/setup-store.ts");
const { prisma } = await import("../db.ts");
const { initBackend } = await import("../model/backend.ts");
const { recordModel } = await import("../record/record.ts");
const { closeBulk, openBulk, readUnitRange } = await import("../store/activations.ts");
const { findRecording, readUnitValues } = await import("../store/recordings.ts");
const { NotFoundError } = await import("../api/errors.ts");
const { CONSTANT_STD } = await import("../api/limits.ts");
const { getCell } = await import("./get-cell.ts");
const { findCellStretch, findExtreme, findTellingStretch, TELLING_CHARS } = await import("./telling-stretch.ts");
const { readPeakPreviews } = await import("./peak-preview.ts");
const { findCorrelatedUnits } = await import("./correlated-units.ts");

beforeAll(async () => {
  await setupStore();
  await initBackend("wasm");
  await recordModel(prisma, { model: MODEL_DIR, split: "test", chars: CHARS, chunkChars: 1024, streams: 4, warmup: 50 });
}, 120_000);

afterAll(async () => {
  await prisma.$disconnect();
  closeBulk();
  if (saved === undefined) delete process.env.CELLSCOPE_DB;
  else process.env.CELLSCOPE_DB = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Variance of q over [a, b), straight from the definition. */
function variance(q: ArrayLike<number>, a: number, b: number): number {
  let m = 0;
  for (let i = a; i < b; i++) m += q[i];
  m /= b - a;
  let v = 0;
  for (let i = a; i < b; i++) v += (q[i] - m) ** 2;
  return v / (b - a);
}

/** Pearson r of two series, straight from the definition. */
function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) (mx += x[i]), (my += y[i]);
  (mx /= n), (my /= n);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) (sxy += (x[i] - mx) * (y[i] - my)), (sxx += (x[i] - mx) ** 2), (syy += (y[i] - my) ** 2);
  return sxy / Math.sqrt(sxx * syy);
}

/** Stored statistics of every unit of the recording. */
async function unitStds() {
  const rec = await findRecording(ID);
  return prisma.unit.findMany({ where: { recordingId: rec.id }, select: { unit: true, std: true, min: true, max: true } });
}

describe("findTellingStretch", () => {
  it("finds the stretch where a flat series switches on and off", () => {
    const q = new Uint8Array(1000).fill(10);
    for (let i = 600; i < 700; i++) q[i] = i % 20 < 10 ? 250 : 10;
    const s = findTellingStretch(q, 50);
    expect(s.end - s.start).toBe(50);
    // Inside the switching part, give or take a few flat characters at an edge (which still count as "off").
    expect(s.start).toBeGreaterThan(590);
    expect(s.end).toBeLessThan(710);
    expect(s.spread).toBeCloseTo(variance(q, s.start, s.end), 6);
  });

  it("prefers a screen half on and half off to one with a single spike", () => {
    const q = new Uint8Array(400).fill(0);
    q[50] = 255; // one spike at 50
    for (let i = 300; i < 400; i++) q[i] = 200; // a step at 300
    const s = findTellingStretch(q, 40);
    expect(s.start).toBe(280); // the step in the middle of the stretch: 20 off, 20 on
  });

  it("is deterministic: the earliest of equal stretches, the start for a series that never moves, the whole of a short one", () => {
    const q = new Uint8Array(300).fill(7);
    q[100] = q[200] = 9;
    expect(findTellingStretch(q, 10).start).toBe(91);
    expect(findTellingStretch(new Uint8Array(500).fill(3), 64)).toEqual({ start: 0, end: 64, spread: 0 });
    expect(findTellingStretch(new Uint8Array([1, 2, 3]), 64)).toMatchObject({ start: 0, end: 3 });
  });

  it("findExtreme finds the highest or lowest value in a range, the first of equals", () => {
    const q = new Uint8Array([5, 9, 1, 9, 1, 4]);
    expect(findExtreme(q, 0, 6)).toBe(1);
    expect(findExtreme(q, 2, 6)).toBe(3);
    expect(findExtreme(q, 0, 6, true)).toBe(2);
  });
});

describe("on the fixture model's recording", () => {
  it("the cell page's stretch is the window of the unit's bytes that varies most", async () => {
    const rec = await findRecording(ID);
    const moving = (await unitStds()).filter((u) => u.std >= CONSTANT_STD).sort((a, b) => b.std - a.std);
    for (const { unit } of moving.slice(0, 3)) {
      const s = await findCellStretch(ID, unit);
      expect(s.end - s.start).toBe(TELLING_CHARS);
      const q = readUnitRange(openBulk(), rec.id, unit, rec.chunkChars, 0, rec.chars);
      expect(s.spread).toBeCloseTo(variance(q, s.start, s.end), 3);
      // No other window, sampled every 97 characters, varies more.
      for (let a = 0; a + TELLING_CHARS <= CHARS; a += 97) expect(variance(q, a, a + TELLING_CHARS)).toBeLessThanOrEqual(s.spread + 1e-6);
    }
    await expect(findCellStretch(ID, "c:9:0")).rejects.toThrow(NotFoundError);
  });

  it("previews show the unit on and off: their values span most of the unit's range", async () => {
    const moving = (await unitStds()).filter((u) => u.std >= CONSTANT_STD && u.max - u.min > 0.5);
    expect(moving.length).toBeGreaterThan(5);
    const previews = await readPeakPreviews(
      ID,
      moving.map((u) => u.unit),
    );
    for (const u of moving) {
      const p = previews.get(u.unit)!;
      expect(Array.from(p.text)).toHaveLength(p.values.length);
      expect(p.values.length).toBe(49);
      expect(p.mark[0]).toBeGreaterThanOrEqual(p.start);
      expect(p.mark[0]).toBeLessThan(p.start + p.values.length);
      // Not one color: the preview spans at least a third of the unit's recorded range.
      expect(Math.max(...p.values) - Math.min(...p.values), u.unit).toBeGreaterThan((u.max - u.min) / 3);
    }
  });

  it("marks constant units and skips them in prev / next", async () => {
    const stds = await unitStds();
    const constant = new Set(stds.filter((u) => u.std < CONSTANT_STD).map((u) => u.unit));
    expect(constant.size).toBeGreaterThan(0);
    const c = await getCell(ID, [...constant][0]);
    expect(c.constant).toBe(true);
    // Every unit of one layer of tanh(c) with a constant neighbour: its prev and next are the nearest moving ones.
    for (const layer of [0, 1]) {
      const ids = Array.from({ length: 64 }, (_, i) => `c:${layer}:${i}`);
      const moving = ids.filter((u) => !constant.has(u));
      for (const u of moving) {
        const cell = await getCell(ID, u);
        const k = moving.indexOf(u);
        expect(cell.constant).toBe(false);
        expect(cell.prev).toBe(moving[k - 1] ?? null);
        expect(cell.next).toBe(moving[k + 1] ?? null);
        expect(cell.constantIndices).toEqual(ids.filter((x) => constant.has(x)).map((x) => Number(x.split(":")[2])));
      }
    }
  });

  it("ranks the units most correlated with a unit, leaving out its own cell and constant units", async () => {
    const rec = await findRecording(ID);
    const stds = await unitStds();
    const unit = "h:1:5";
    const best = await findCorrelatedUnits(ID, unit, 5);
    expect(best).toHaveLength(5);
    const constant = new Set(stds.filter((u) => u.std < CONSTANT_STD).map((u) => u.unit));
    const mine = readUnitValues(rec, unit, 0, rec.chars);
    // The r given is the Pearson r of the values (to the kernel's rounding), best |r| first.
    const all = stds
      .filter((u) => !constant.has(u.unit) && !u.unit.endsWith(":1:5"))
      .map((u) => ({ unit: u.unit, r: pearson(mine, readUnitValues(rec, u.unit, 0, rec.chars)) }))
      .sort((a, b) => Math.abs(b.r) - Math.abs(a.r));
    expect(best.map((b) => b.unit)).toEqual(all.slice(0, 5).map((a) => a.unit));
    best.forEach((b, i) => expect(b.r).toBeCloseTo(all[i].r, 3));
    expect(await findCorrelatedUnits(ID, [...constant][0])).toEqual([]);
  });

  it("says what is wrong with a unit id: the layer or index out of range, or gates not recorded and how to record them", async () => {
    await expect(getCell(ID, "c:5:1")).rejects.toThrow("layer 5 does not exist (the model has 2 layers, 0 to 1)");
    await expect(getCell(ID, "c:1:999")).rejects.toThrow("index 999 does not exist (layers have 64 units, 0 to 63)");
    await expect(getCell(ID, "f:1:40")).rejects.toThrow(`kind "f" was not recorded (recorded: c,h); record the gates with: npx cellscope record --model ${ID} --gates`);
  });
});
