import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../model/backend.ts";
import { train } from "../train/train.ts";
import { setupStore } from "../store/setup-store.ts";
import { createPrisma, type PrismaClient } from "../db.ts";
import { closeBulk } from "../store/activations.ts";
import { SIGNALS } from "../search/signals.ts";
import { SearchQuery } from "../search/query.ts";
import { searchRecording } from "../search/search.ts";
import { setupModels } from "./setup.ts";
import { FAMOUS_FIVE } from "./seed-famous-five.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cellscope-setup-"));
const models = path.join(dir, "models");
const saved = { db: process.env.CELLSCOPE_DB, models: process.env.CELLSCOPE_MODELS };
let prisma: PrismaClient;
const corpus = path.join(dir, "wp.txt");
const opts = { corpus, layers: 1, hidden: 32, batch: 8, seq: 40, epochs: 1, maxIterations: 20, out: path.join(models, "wp-1x32") };

beforeAll(async () => {
  process.env.CELLSCOPE_DB = path.join(dir, "store.db");
  process.env.CELLSCOPE_MODELS = models;
  await setupStore();
  prisma = createPrisma();
  await initBackend("wasm");
  fs.writeFileSync(corpus, fs.readFileSync(path.resolve(import.meta.dirname, "../../corpora/warpeace.txt")).subarray(0, 30000));
  await train(opts).done;
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  closeBulk();
  for (const [k, v] of [["CELLSCOPE_DB", saved.db], ["CELLSCOPE_MODELS", saved.models]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe("set-up", () => {
  it("records each model, scores its units and finds its detectors once; a second run does nothing; a retrained model is recorded again", async () => {
    const steps: string[] = [];
    await setupModels(prisma, { onStep: (m) => steps.push(m) });
    expect(steps.some((s) => /wp-1x32: recorded 1,500 characters/.test(s))).toBe(true);
    const detectors = await prisma.detector.findMany({ where: { modelId: "wp-1x32" } });
    expect(detectors.map((d) => d.signal)).toContain("is_space");
    for (const d of detectors) expect(d.unit).toMatch(/^[ch]:0:\d+$/);
    const model = await prisma.model.findUniqueOrThrow({ where: { id: "wp-1x32" } });
    expect(model.testNats).toBeGreaterThan(0);

    // Every unit scored against every built-in signal, for the cell page.
    const rec = await prisma.recording.findFirstOrThrow({ where: { modelId: "wp-1x32", status: "complete" } });
    const units = await prisma.unit.count({ where: { recordingId: rec.id } });
    expect(await prisma.signalScore.count({ where: { recordingId: rec.id } })).toBe(units * SIGNALS.length);

    // Each detector is the unit a default search (ranked by |r|) names first, on/off signals too,
    // so the gallery and `cellscope search --signal` never disagree.
    for (const d of detectors) {
      const found = await searchRecording(rec, SearchQuery.parse({ signal: d.signal, limit: 1 }));
      expect([d.signal, d.unit]).toEqual([d.signal, found.results[0].unit]);
    }

    const again: string[] = [];
    await setupModels(prisma, { onStep: (m) => again.push(m) });
    expect(again).toEqual([]);

    // A store from before the scores existed (or a signal added since) gets them without recording again.
    await prisma.signalScore.deleteMany({ where: { recordingId: rec.id, signal: "is_space" } });
    const rescored: string[] = [];
    await setupModels(prisma, { onStep: (m) => rescored.push(m) });
    expect(rescored).toEqual([expect.stringMatching(/^wp-1x32: every unit scored against the built-in signals in [\d.]+ s, \d+ detectors found$/)]);
    expect(await prisma.signalScore.count({ where: { recordingId: rec.id } })).toBe(units * SIGNALS.length);

    await train({ ...opts, maxIterations: 30 }, { resume: true }).done;
    const third: string[] = [];
    await setupModels(prisma, { onStep: (m) => third.push(m) });
    expect(third[0]).toMatch(/changed since it was recorded/);
    expect(await prisma.recording.count({ where: { modelId: "wp-1x32" } })).toBe(1);
  }, 120_000);

  it("finishes a recording that an interrupted first run left half-written, and never lists it before", async () => {
    const rec = await prisma.recording.findFirstOrThrow({ where: { modelId: "wp-1x32" } });
    await prisma.recording.update({ where: { id: rec.id }, data: { status: "recording", charsDone: 0 } });
    await prisma.detector.deleteMany({});
    const steps: string[] = [];
    await setupModels(prisma, { onStep: (m) => steps.push(m) });
    expect(steps.some((s) => /wp-1x32: recorded 1,500 characters/.test(s))).toBe(true);
    expect((await prisma.recording.findFirstOrThrow({ where: { modelId: "wp-1x32" } })).status).toBe("complete");
  }, 120_000);

  it("seeds the collection the-famous-five from the famous detectors it found, once, and leaves it to the user after", async () => {
    // Set the detectors a trained model would have: everything weak but a clear quote cell and column cell
    // (this corpus is no shipped one, so every signal fits it: lib/search/signals.ts, signalFits).
    await prisma.detector.updateMany({ where: { modelId: "wp-1x32" }, data: { r: 0.05, auc: 0.5 } });
    const set = (signal: string, unit: string, r: number, auc: number | null) => prisma.detector.update({ where: { modelId_signal: { modelId: "wp-1x32", signal } }, data: { unit, r, auc } });
    await set("inside_quotes", "c:0:7", -0.9, 0.05);
    await set("chars_since_newline", "h:0:3", 0.6, null);
    await set("paragraph_start", "c:0:9", 0.29, 0.75); // just short of clear
    await set("is_space", "c:0:1", 0.99, 1); // clear, but not a famous signal
    await prisma.collection.deleteMany({ where: { slug: FAMOUS_FIVE.slug } });
    const steps: string[] = [];
    await setupModels(prisma, { onStep: (m) => steps.push(m) });
    expect(steps).toEqual([`the collection /collections/${FAMOUS_FIVE.slug}: 2 famous detectors`]);
    const read = () => prisma.collection.findUniqueOrThrow({ where: { slug: FAMOUS_FIVE.slug }, include: { items: { orderBy: { position: "asc" } } } });
    const seeded = await read();
    expect(seeded.title).toBe("The famous five");
    expect(seeded.items.map((i) => [i.modelId, i.unit])).toEqual([
      ["wp-1x32", "c:0:7"],
      ["wp-1x32", "h:0:3"],
    ]);
    expect(seeded.items[0].note).toMatch(/^inside_quotes: .*r −0\.90, AUC 0\.05/);

    // A second set-up neither duplicates it nor undoes the user's edits.
    await prisma.collection.update({ where: { id: seeded.id }, data: { title: "My famous two", description: "edited" } });
    await prisma.collectionItem.update({ where: { collectionId_modelId_unit: { collectionId: seeded.id, modelId: "wp-1x32", unit: "c:0:7" } }, data: { note: "mine" } });
    await prisma.collectionItem.delete({ where: { collectionId_modelId_unit: { collectionId: seeded.id, modelId: "wp-1x32", unit: "h:0:3" } } });
    const again: string[] = [];
    await setupModels(prisma, { onStep: (m) => again.push(m) });
    expect(again).toEqual([]);
    expect(await prisma.collection.count({ where: { slug: { startsWith: FAMOUS_FIVE.slug } } })).toBe(1);
    const kept = await read();
    expect([kept.title, kept.description, kept.items.map((i) => [i.unit, i.note])]).toEqual(["My famous two", "edited", [["c:0:7", "mine"]]]);

    // No famous detector, no collection (rather than an empty one).
    await prisma.collection.deleteMany({ where: { slug: FAMOUS_FIVE.slug } });
    await set("inside_quotes", "c:0:7", 0.1, 0.5);
    await set("chars_since_newline", "h:0:3", 0.1, null);
    await setupModels(prisma);
    expect(await prisma.collection.count({ where: { slug: FAMOUS_FIVE.slug } })).toBe(0);
  }, 120_000);
});
