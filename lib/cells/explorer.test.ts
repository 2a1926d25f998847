/**
 * The explorer's data layer (lib/cells, lib/inspect) against a
 * real store: the e2e fixture model recorded over a short slice of its test
 * split (with gates, in small chunks so that reads cross chunk boundaries).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cellscope-explorer-"));
const saved = { db: process.env.CELLSCOPE_DB, ro: process.env.CELLSCOPE_READ_ONLY };
process.env.CELLSCOPE_DB = path.join(dir, "store.db");
const MODEL_DIR = path.resolve(import.meta.dirname, "../../e2e/fixtures/models/warpeace-2x64");
const ID = "warpeace-2x64";
const CHARS = 3000;

// Imported after CELLSCOPE_DB is set: lib/db.ts opens its client on that file.
const { setupStore } = await import("../store/setup-store.ts");
const { prisma } = await import("../db.ts");
const { initBackend } = await import("../model/backend.ts");
const { recordModel } = await import("../record/record.ts");
const { scoreRecording } = await import("../setup/score-recording.ts");
const { closeBulk, openBulk, readChars } = await import("../store/activations.ts");
const { readUnitValues, findRecording } = await import("../store/recordings.ts");
const { searchRecording } = await import("../search/search.ts");
const { RegexError } = await import("../search/regex.ts");
const { InputError, NotFoundError, ForbiddenError } = await import("../api/errors.ts");
const { listModels, listCorpora } = await import("./list-models.ts");
const { getModel, listUnitStats, listDetectors } = await import("./get-model.ts");
const { getCell, readCellSnippets, distinctPeaks } = await import("./get-cell.ts");
const { readActivations } = await import("./read-activations.ts");
const { parseUnitId, unpackValues } = await import("../store/quantize.ts");
const { readText } = await import("./read-text.ts");
const { scoreSignals } = await import("./score-signals.ts");
const { parseSearchParams, searchCells, searchCellsFromParams } = await import("./search-cells.ts");
const { setLabel, deleteLabel } = await import("./set-label.ts");
const { inspectChar } = await import("../inspect/inspect-char.ts");

beforeAll(async () => {
  await setupStore();
  await initBackend("wasm");
  await recordModel(prisma, { model: MODEL_DIR, split: "test", chars: CHARS, gates: true, chunkChars: 1024, streams: 4, warmup: 50 });
  await scoreRecording(prisma, ID);
}, 120_000);

afterAll(async () => {
  await prisma.$disconnect();
  closeBulk();
  for (const [k, v] of [["CELLSCOPE_DB", saved.db], ["CELLSCOPE_READ_ONLY", saved.ro]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("models", () => {
  it("lists corpora and models with their recording", async () => {
    const models = await listModels();
    expect(models.map((m) => m.id)).toEqual([ID]);
    expect(models[0]).toMatchObject({ corpus: "warpeace", layers: 2, hidden: 64, recording: { chars: CHARS, kinds: ["c", "h", "i", "f", "o"] } });
    expect((await listCorpora())[0]).toMatchObject({ id: "warpeace", models: [ID] });
  });

  it("describes a model: training curve, detectors, every unit's statistics", async () => {
    const m = await getModel(ID);
    expect(m.training.history.train.length).toBeGreaterThan(0);
    expect(m.detectors.length).toBeGreaterThan(0);
    const units = await listUnitStats(ID);
    expect(units).toHaveLength(5 * 2 * 64);
    const gates = units.filter((u) => u.kind === "f");
    for (const g of gates) expect(g.satLeft + g.satRight).toBeLessThanOrEqual(1 + 1e-9);
    await expect(getModel("nope")).rejects.toThrow(NotFoundError);
    await expect(getModel("../etc")).rejects.toThrow(InputError);
  });

  it("previews each detector where its unit varies most, its firing marked", async () => {
    const ds = await listDetectors(ID);
    expect(ds.length).toBeGreaterThan(0);
    for (const d of ds) {
      expect(d.preview).not.toBeNull();
      const p = d.preview!;
      expect(Array.from(p.text)).toHaveLength(p.values.length);
      // Contrast: the preview spans a good part of the unit's recorded range, not one color.
      const { stats } = await getCell(ID, d.unit);
      if (stats.std > 0.01) expect(Math.max(...p.values) - Math.min(...p.values)).toBeGreaterThanOrEqual((stats.max - stats.min) / 3);
      // The marked character is where it fires in the preview: lowest for a unit with negative r.
      const marked = p.values[p.mark![0] - p.start];
      expect(marked).toBe(d.r < 0 ? Math.min(...p.values) : Math.max(...p.values));
    }
  });
});

describe("cells", () => {
  it("gives a unit's statistics and neighbours, and rejects bad ids", async () => {
    const c = await getCell(ID, "h:1:5");
    expect(c).toMatchObject({ kind: "h", layer: 1, index: 5, prev: "h:1:4", next: "h:1:6" });
    expect(c.stats.histogram).toHaveLength(64);
    expect(c.stats.histogram.reduce((a, b) => a + b, 0)).toBe(CHARS);
    expect((await getCell(ID, "c:0:0")).prev).toBeNull();
    expect((await getCell(ID, "f:1:63")).next).toBeNull();
    await expect(getCell(ID, "x:1:2")).rejects.toThrow(InputError);
    await expect(getCell(ID, "c:7:0")).rejects.toThrow(/layer 7 does not exist/);
    await expect(getCell(ID, "c:0:64")).rejects.toThrow(NotFoundError);
  });

  it("reads a range of values with its text, across chunk boundaries", async () => {
    const rec = await findRecording(ID);
    const a = await readActivations(ID, "c:1:3", { start: 1000, end: 1100 }, { surprise: true });
    expect(a.values).toHaveLength(100);
    expect(a.text).toBe(Array.from(rec.text).slice(1000, 1100).join(""));
    const direct = readUnitValues(rec, "c:1:3", 1000, 1100);
    a.values.forEach((v, i) => expect(v).toBeCloseTo(direct[i], 3));
    const { nll } = readChars(openBulk(), rec.id, rec.chunkChars, 999, 1100);
    a.surprise!.forEach((s, i) => expect(s).toBeCloseTo(nll[i], 3));
    // Clipped at the end; errors past it and for bad ranges.
    expect((await readActivations(ID, "c:1:3", { start: CHARS - 10, end: CHARS + 500 })).end).toBe(CHARS);
    await expect(readActivations(ID, "c:1:3", { start: CHARS })).rejects.toThrow(/past the end/);
    await expect(readActivations(ID, "c:1:3", { start: 0, end: 30_000 })).rejects.toThrow(InputError);
    await expect(readActivations(ID, "c:1:3", { start: 10, end: 10 })).rejects.toThrow(InputError);
  });

  it("packed, a range's values come as base64 bytes that unpack (as in the browser) to exactly the values sent unpacked", async () => {
    for (const unit of ["c:1:3", "h:0:9", "f:1:20"]) {
      const plain = await readActivations(ID, unit, { start: 900, end: 3100 });
      const packed = await readActivations(ID, unit, { start: 900, end: 3100 }, { packed: true });
      expect(packed.values).toEqual([]);
      expect(packed.text).toBe(plain.text);
      expect(atob(packed.packed!)).toHaveLength(plain.end - plain.start);
      expect(unpackValues(packed.packed!, parseUnitId(unit).kind)).toEqual(plain.values);
    }
  });

  it("reads the whole recorded text, refusing a recording id the model is no longer shown with", async () => {
    const rec = await findRecording(ID);
    const t = await readText(ID, rec.id);
    expect(t).toMatchObject({ model: ID, recording: rec.id, chars: CHARS, text: rec.text });
    expect((await readText(ID)).recording).toBe(rec.id);
    await expect(readText(ID, rec.id + 1)).rejects.toThrow(NotFoundError);
    await expect(readText("nope")).rejects.toThrow(NotFoundError);
  });

  it("finds where a unit fires, one snippet per place", async () => {
    const c = await getCell(ID, "h:0:7");
    const { top, bottom } = await readCellSnippets(c, 5, 30);
    expect(top.length).toBeGreaterThan(0);
    const peak = top[0];
    expect(peak.values[peak.mark[0] - peak.start]).toBeCloseTo(c.stats.max, 2);
    expect(bottom[0].values[bottom[0].mark[0] - bottom[0].start]).toBeCloseTo(c.stats.min, 2);
    expect(distinctPeaks([10, 12, 50, 51, 200], 5, 5)).toEqual([10, 50, 200]);
  });

  it("scores a unit against every signal as a full search does, from set-up's scores or computed when a store lacks them", async () => {
    const rec = await findRecording(ID);
    const stored = await scoreSignals(ID, "h:0:12");
    expect(await prisma.signalScore.count({ where: { recordingId: rec.id, unit: "h:0:12" } })).toBe(stored.length);
    // Without set-up's rows (an older store) the page computes the same numbers for its one unit.
    await prisma.signalScore.deleteMany({ where: { recordingId: rec.id, unit: "h:0:12" } });
    const computed = await scoreSignals(ID, "h:0:12");
    expect(computed.map((s) => s.signal).sort()).toEqual(stored.map((s) => s.signal).sort());
    for (const s of computed) {
      const t = stored.find((x) => x.signal === s.signal)!;
      // Search sums Σq·y with y rounded to 16 bits (a SIMD kernel): agree to 4 decimals.
      if (s.r === null) expect(t.r).toBeNull();
      else expect(t.r).toBeCloseTo(s.r, 4);
      if (s.auc !== null) expect(t.auc).toBeCloseTo(s.auc, 6);
      expect(t.problem).toBe(s.problem);
    }
    for (const scores of [stored, computed]) await expectSearchAgrees(scores);
  });

  async function expectSearchAgrees(scores: Awaited<ReturnType<typeof scoreSignals>>) {
    const rec = await findRecording(ID);
    for (const name of ["is_space", "chars_since_newline"]) {
      const full = await searchRecording(rec, { signal: name, limit: 5000, sort: "r" });
      const mine = scores.find((s) => s.signal === name)!;
      const theirs = full.results.find((r) => r.unit === "h:0:12")!;
      // Search may sum in float32 (a SIMD kernel): agree to 5 decimals.
      expect(mine.r).toBeCloseTo(theirs.r, 5);
      if (theirs.auc !== undefined) expect(mine.auc).toBeCloseTo(theirs.auc, 5);
    }
    // Signals that never fire in War and Peace (C comments) have no score, and sort last.
    const comment = scores.find((s) => s.signal === "inside_comment")!;
    expect(comment.r).toBeNull();
    expect(comment.problem).toMatch(/never on/);
    expect(scores.at(-1)!.r).toBeNull();
  }

  it("sets and removes labels, and refuses in read-only mode", async () => {
    const l = await setLabel(ID, "h:1:2", { label: "quote detector", note: "fires inside quotes" });
    expect(l.label).toBe("quote detector");
    expect((await getCell(ID, "h:1:2")).label?.note).toBe("fires inside quotes");
    expect((await getModel(ID)).labels).toEqual([{ unit: "h:1:2", label: "quote detector", note: "fires inside quotes" }]);
    expect((await deleteLabel(ID, "h:1:2")).deleted).toBe(true);
    expect((await getCell(ID, "h:1:2")).label).toBeNull();
    process.env.CELLSCOPE_READ_ONLY = "1";
    try {
      await expect(setLabel(ID, "h:1:2", { label: "x", note: "" })).rejects.toThrow(ForbiddenError);
    } finally {
      delete process.env.CELLSCOPE_READ_ONLY;
    }
  });
});

describe("search", () => {
  it("reads queries from URL parameters", () => {
    expect(parseSearchParams(new URLSearchParams("q=%22&mode=start"))).toMatchObject({ query: { regex: '"', mode: "start", limit: 25, sort: "r" } });
    expect(parseSearchParams(new URLSearchParams("signal=inside_quotes&sort=auc&limit=5")).query).toEqual({ signal: "inside_quotes", sort: "auc", limit: 5 });
    expect(parseSearchParams(new URLSearchParams("signal=nope")).error).toMatch(/unknown signal/);
    expect(parseSearchParams(new URLSearchParams("q=a&signal=is_space")).error).toMatch(/not both/);
    expect(parseSearchParams(new URLSearchParams("q=a&mode=sideways")).error).toMatch(/mode must be one of/);
    expect(parseSearchParams(new URLSearchParams("q=a&limit=0")).error).toMatch(/limit/);
    expect(parseSearchParams(new URLSearchParams("")).query).toBeUndefined();
  });

  it("ranks units against a regex, with previews around the first match", async () => {
    const r = await searchCells(ID, { regex: "[A-Z]", mode: "inside", limit: 10, sort: "r" });
    expect(r.results).toHaveLength(10);
    const abs = r.results.map((x) => Math.abs(x.r));
    expect([...abs].sort((a, b) => b - a)).toEqual(abs);
    expect(r.previewSpan).toEqual(r.spans![0]);
    for (const x of r.results) {
      expect(x.preview!.mark).toEqual(r.previewSpan);
      expect(x.auc).toBeGreaterThanOrEqual(0);
    }
  });

  it("explains invalid patterns, no matches and signals that never fire", async () => {
    await expect(searchCellsFromParams(ID, new URLSearchParams("q=("))).rejects.toThrow(RegexError);
    await expect(searchCellsFromParams(ID, new URLSearchParams("q=%5C(&mode=depth"))).rejects.toThrow(/close/);
    await expect(searchCellsFromParams(ID, new URLSearchParams(""))).rejects.toThrow(InputError);
    const none = await searchCellsFromParams(ID, new URLSearchParams("q=qqqqzzzz"));
    expect(none.results).toEqual([]);
    expect(none.problem).toMatch(/no matches/);
    expect((await searchCellsFromParams(ID, new URLSearchParams("q=%5B%5Cs%5CS%5D"))).problem).toMatch(/matches everything/);
    const sig = await searchCellsFromParams(ID, new URLSearchParams("signal=is_upper&limit=3"));
    expect(sig.results).toHaveLength(3);
    expect(sig.results[0].preview).not.toBeNull();
  });
});

describe("inspector", () => {
  it("shows every unit at a character, sorted, and the model's top-5 guesses", async () => {
    const rec = await findRecording(ID);
    const at = 1500;
    const d = await inspectChar(ID, at);
    const text = Array.from(rec.text);
    expect(d.char).toBe(text[at]);
    expect(d.next).toBe(text[at + 1]);
    expect(d.groups).toHaveLength(10);
    expect(d.groups.reduce((n, g) => n + g.units.length, 0)).toBe(640);
    for (const g of d.groups) {
      const v = g.units.map((u) => u.value);
      expect([...v].sort((a, b) => b - a)).toEqual(v);
    }
    const h = d.groups.find((g) => g.kind === "h" && g.layer === 1)!.units.find((u) => u.unit === "h:1:9")!;
    expect(h.value).toBeCloseTo(readUnitValues(rec, "h:1:9", at, at + 1)[0], 3);
    expect(d.guesses.length).toBeGreaterThan(0);
    expect(d.guesses.length).toBeLessThanOrEqual(5);
    const ps = d.guesses.map((g) => g.p);
    expect([...ps].sort((a, b) => b - a)).toEqual(ps);
    expect(d.lossNats).toBeGreaterThan(0);
    // A correct top guess has the loss of its probability.
    const hit = d.guesses.find((g) => g.correct);
    if (hit) expect(Math.exp(-d.lossNats!)).toBeCloseTo(hit.p, 1);
    const last = await inspectChar(ID, CHARS - 1);
    expect(last.next).toBeNull();
    expect(last.lossNats).toBeNull();
    await expect(inspectChar(ID, CHARS)).rejects.toThrow(NotFoundError);
    await expect(inspectChar(ID, -1)).rejects.toThrow(InputError);
  });
});
