import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../model/backend.ts";
import { CELLS } from "../model/cells.ts";
import { loadModel } from "../model/model-file.ts";
import { pieceRow, runStreams } from "../model/run-streams.ts";
import { loadCorpusFor, splitRange } from "../corpus/corpus.ts";
import { train } from "../train/train.ts";
import { setupStore } from "../store/setup-store.ts";
import { createPrisma, type PrismaClient } from "../db.ts";
import { closeBulk, openBulk, readAllUnits, readChars } from "../store/activations.ts";
import { findRecording, readUnitValues, NotFoundError } from "../store/recordings.ts";
import { computeSignal } from "../search/signals.ts";
import { searchRecording } from "../search/search.ts";
import { recordModel } from "./record.ts";
import { storedUnitRow } from "./unit-stats.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cellscope-record-"));
const modelDir = path.join(dir, "wp-tiny");
let prisma: PrismaClient;
const saved = process.env.CELLSCOPE_DB;

beforeAll(async () => {
  process.env.CELLSCOPE_DB = path.join(dir, "store.db");
  await setupStore();
  prisma = createPrisma();
  await initBackend("wasm");
  const corpus = path.join(dir, "wp.txt");
  fs.writeFileSync(corpus, fs.readFileSync(path.resolve(import.meta.dirname, "../../corpora/warpeace.txt")).subarray(0, 40000));
  await train({ corpus, layers: 2, hidden: 32, batch: 10, seq: 50, epochs: 2, maxIterations: 150, lr: 1e-2, out: modelDir }).done;
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  closeBulk();
  if (saved === undefined) delete process.env.CELLSCOPE_DB;
  else process.env.CELLSCOPE_DB = saved;
});

describe("recording", () => {
  it("stores every unit within one quantization step of the model's float32 activations, and scores agree to 0.01", async () => {
    const r = await recordModel(prisma, { model: modelDir, split: "train", start: 5000, chars: 3000, chunkChars: 256, streams: 6, warmup: 400 });
    expect(r.outcome).toBe("recorded");
    const rec = await findRecording("wp-tiny");
    expect(rec.id).toBe(r.recordingId);
    expect(rec.text.length).toBe(3000);
    // Reference: one stream reading from the start of the corpus, float32.
    const model = loadModel(modelDir);
    const corpus = loadCorpusFor(model.meta);
    const float = new Map<string, Float32Array>();
    for (const k of ["c", "h"]) for (const l of [0, 1]) for (let u = 0; u < 32; u++) float.set(`${k}:${l}:${u}`, new Float32Array(3000));
    await runStreams(CELLS.lstm, model.params, corpus.ids, 5000, 8000, { streams: 1, warmup: 5000, series: ["c"], wantLayers: true }, (p) => {
      for (const k of ["c", "h"]) for (const l of [0, 1]) for (let j = 0; j < p.length; j++) for (let u = 0; u < 32; u++) float.get(`${k}:${l}:${u}`)![p.start - 5000 + j] = pieceRow(p, l, k, j)[u];
    });
    let maxErr = 0;
    for (const [unit, f] of float) {
      const stored = readUnitValues(rec, unit, 0, 3000);
      for (let i = 0; i < 3000; i++) maxErr = Math.max(maxErr, Math.abs(stored[i] - f[i]));
    }
    expect(maxErr).toBeLessThan(1 / 255 + 2e-3);
    // Search scores from the stored bytes against scores from the float activations.
    for (const name of ["is_space", "chars_since_newline", "is_upper"]) {
      const res = await searchRecording(rec, { signal: name, limit: 5000, sort: "r" });
      const signal = computeSignal(name, Array.from(rec.context), Array.from(rec.text));
      let compared = 0;
      for (const x of res.results) {
        const f = float.get(x.unit)!;
        const y = signal.values;
        let mx = 0, my = 0;
        for (let i = 0; i < f.length; i++) (mx += f[i]), (my += y[i]);
        mx /= f.length;
        my /= f.length;
        let sxy = 0, sxx = 0, syy = 0;
        for (let i = 0; i < f.length; i++) {
          sxy += (f[i] - mx) * (y[i] - my);
          sxx += (f[i] - mx) ** 2;
          syy += (y[i] - my) ** 2;
        }
        const rFloat = sxx > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
        // A unit whose whole variation spans a couple of byte steps (std < 0.05: a byte step is 0.008, and stream warm-up differs by up to 0.002)
        // has no meaningful r either way; every other unit must agree.
        if (Math.sqrt(sxx / f.length) < 0.05) continue;
        compared++;
        expect(Math.abs(x.r - rFloat), `${name} ${x.unit}`).toBeLessThan(0.01);
      }
      expect(compared).toBeGreaterThan(10);
    }
  }, 120_000);

  it("an interrupted recording is never served, and rerunning finishes it with the same bytes", async () => {
    const opts = { model: modelDir, split: "train" as const, start: 100, chars: 5000, chunkChars: 256, streams: 4, warmup: 300, gates: true };
    let calls = 0;
    await expect(
      recordModel(prisma, {
        ...opts,
        onProgress: (done, _total, phase) => {
          // "Kill" the run part-way through its second window (8 chunks of 256 per window).
          if (phase === "record" && done > 2048 && ++calls > 1) throw new Error("killed");
        },
      }),
    ).rejects.toThrow("killed");
    const partial = await prisma.recording.findFirst({ where: { modelId: "wp-tiny", kinds: "c,h,i,f,o" } });
    expect(partial?.status).toBe("recording");
    expect(partial?.charsDone).toBe(2048);
    // Readers pick only complete recordings: the gate-less one from before, never this one.
    expect((await findRecording("wp-tiny")).id).not.toBe(partial!.id);

    const resumed = await recordModel(prisma, opts);
    expect(resumed.outcome).toBe("resumed");
    const after = readAllUnits(openBulk(), resumed.recordingId, 5000, 256);
    const fresh = await recordModel(prisma, { ...opts, force: true });
    expect(fresh.outcome).toBe("recorded");
    const clean = readAllUnits(openBulk(), fresh.recordingId, 5000, 256);
    expect(after.size).toBe(2 * 5 * 32);
    for (const [unit, q] of clean) expect(Buffer.compare(Buffer.from(after.get(unit)!), Buffer.from(q)), unit).toBe(0);
    const units = await prisma.unit.findMany({ where: { recordingId: fresh.recordingId, kind: "f" } });
    expect(units.length).toBe(64);
    for (const u of units) expect(u.satLeft + u.satRight).toBeLessThanOrEqual(1);
  }, 120_000);

  it("records the same bytes and losses on two workers as on one, with progress that only moves forward", async () => {
    // Streams of 5000 / 7 = 715 characters: the two workers' parts meet inside a chunk, not at its edge.
    const opts = { model: modelDir, split: "train" as const, start: 9000, chars: 5000, chunkChars: 256, streams: 7, warmup: 300, gates: true, force: true };
    const one = await recordModel(prisma, { ...opts, workers: 1 });
    const oneUnits = readAllUnits(openBulk(), one.recordingId, 5000, 256);
    const oneChars = readChars(openBulk(), one.recordingId, 256, 0, 5000);
    const seen: number[] = [];
    const two = await recordModel(prisma, { ...opts, workers: 2, onProgress: (done, _t, phase) => void (phase === "record" && seen.push(done)) });
    expect(two.chars).toBe(5000);
    const twoUnits = readAllUnits(openBulk(), two.recordingId, 5000, 256);
    const twoChars = readChars(openBulk(), two.recordingId, 256, 0, 5000);
    expect(twoUnits.size).toBe(2 * 5 * 32);
    let differ = 0;
    for (const [unit, q] of oneUnits) {
      const q2 = twoUnits.get(unit)!;
      for (let i = 0; i < q.length; i++) {
        const d = Math.abs(q[i] - q2[i]);
        expect(d, `${unit} at ${i}`).toBeLessThanOrEqual(1);
        differ += d ? 1 : 0;
      }
    }
    // Float rounding may move a value across a quantization step, rarely.
    expect(differ / (oneUnits.size * 5000)).toBeLessThan(1e-3);
    for (let i = 0; i < 5000; i++) if (Number.isFinite(oneChars.nll[i])) expect(Math.abs(twoChars.nll[i] - oneChars.nll[i])).toBeLessThan(1e-4);
    expect(two.nats).toBeCloseTo(one.nats!, 4);
    // Every unit's statistics, computed on both workers from what was stored.
    const stats = async (id: number) => new Map((await prisma.unit.findMany({ where: { recordingId: id } })).map((u) => [u.unit, u]));
    const [s1, s2] = [await stats(one.recordingId), await stats(two.recordingId)];
    expect([...s2.keys()].sort()).toEqual([...oneUnits.keys()].sort());
    for (const [unit, u] of s1) {
      const v = s2.get(unit)!;
      expect(Math.abs(v.sumQ - u.sumQ), unit).toBeLessThanOrEqual(5);
      expect(Math.abs(v.std - u.std), unit).toBeLessThan(1e-3);
      expect([v.kind, v.layer, v.index], unit).toEqual([u.kind, u.layer, u.index]);
    }
    expect(seen.at(-1)).toBe(5000);
    for (let k = 1; k < seen.length; k++) expect(seen[k]).toBeGreaterThanOrEqual(seen[k - 1]);
    await expect(recordModel(prisma, { ...opts, workers: 0 })).rejects.toThrow("--workers must be 1 to 8, got 0");
  }, 120_000);

  it("computes a one-window recording's statistics from its bytes as they are written: the rows the stored bytes give", async () => {
    // 5,000 characters in chunks of 1,024: one window (8 chunks), so the workers take the statistics from it.
    const r = await recordModel(prisma, { model: modelDir, split: "train", start: 2000, chars: 5000, chunkChars: 1024, streams: 6, warmup: 200, gates: true, force: true, workers: 2 });
    const rows = await prisma.unit.findMany({ where: { recordingId: r.recordingId } });
    expect(rows).toHaveLength(5 * 2 * 32);
    const db = openBulk();
    for (const row of rows) {
      const want = storedUnitRow(db, r.recordingId, row.unit, 5000);
      for (const [k, v] of Object.entries(want)) {
        const got = row[k as keyof typeof row];
        // Floats to their last bits (the store's REAL round trip moves those), the rest exactly.
        if (typeof v === "number" && !Number.isInteger(v)) expect(Math.abs((got as number) - v), `${row.unit} ${k}`).toBeLessThan(1e-12);
        else expect(got, `${row.unit} ${k}`).toEqual(v);
      }
    }
  }, 120_000);

  it("answers a repeated search from its cache with the same ranking, and recomputes on request", async () => {
    const rec = await findRecording("wp-tiny");
    const q = { regex: "\\bthe\\b", mode: "inside" as const, limit: 20, sort: "r" as const };
    const first = await searchRecording(rec, q);
    const again = await searchRecording(rec, q);
    const fresh = await searchRecording(rec, q, { cache: false });
    expect(first.cached).toBe(false);
    expect(again.cached).toBe(true);
    expect(fresh.cached).toBe(false);
    for (const r of [again, fresh]) {
      expect(r.results).toEqual(first.results);
      expect(r.spans).toEqual(first.spans);
      expect(r.matches).toBe(first.matches);
    }
    expect(first.results.length).toBeGreaterThan(0);
    // A different query is not answered from another's entry.
    const other = await searchRecording(rec, { ...q, mode: "start" });
    expect(other.cached).toBe(false);
    expect(other.matches).toBe(first.matches);
    expect(other.results).not.toEqual(first.results);
  });

  it("ranks over a stretch as if only that stretch were there: r, AUC and matches from its characters alone", async () => {
    const rec = await findRecording("wp-tiny");
    const [from, to] = [700, 2300];
    const ref = (unit: string, y: Float32Array) => {
      const x = readUnitValues(rec, unit, from, to);
      let mx = 0, my = 0;
      for (let i = 0; i < x.length; i++) (mx += x[i]), (my += y[i]);
      (mx /= x.length), (my /= x.length);
      let sxy = 0, sxx = 0, syy = 0, on = 0, above = 0;
      for (let i = 0; i < x.length; i++) (sxy += (x[i] - mx) * (y[i] - my)), (sxx += (x[i] - mx) ** 2), (syy += (y[i] - my) ** 2);
      // AUC by definition: over pairs (on, off), P(x_on > x_off) + ½ P(equal).
      for (let i = 0; i < x.length; i++) if (y[i]) for (let j = 0; j < x.length; j++) if (!y[j]) (on++, (above += x[i] > x[j] ? 1 : x[i] === x[j] ? 0.5 : 0));
      return { r: sxx > 0 ? sxy / Math.sqrt(sxx * syy) : 0, auc: above / on };
    };
    const y = computeSignal("is_upper", Array.from(rec.context), Array.from(rec.text)).values.slice(from, to);
    const part = await searchRecording(rec, { signal: "is_upper", limit: 8, sort: "r", from, to }, { cache: false });
    const whole = await searchRecording(rec, { signal: "is_upper", limit: 8, sort: "r" }, { cache: false });
    expect(part.results.map((x) => x.unit)).not.toEqual(whole.results.map((x) => x.unit));
    for (const x of part.results) {
      const want = ref(x.unit, y);
      expect(x.r, x.unit).toBeCloseTo(want.r, 3);
      expect(x.auc!, x.unit).toBeCloseTo(want.auc, 6);
    }
    expect(part.coverage).toBeCloseTo(y.reduce((a, b) => a + b, 0) / (to - from), 9);
    // A regex's matches are those inside the stretch.
    const re = { regex: "\\bthe\\b", mode: "inside" as const, limit: 5, sort: "r" as const };
    const all = await searchRecording(rec, re);
    const inPart = await searchRecording(rec, { ...re, from, to });
    expect(inPart.matches).toBe(all.spans!.filter(([a, b]) => a < to && b > from).length);
    expect(inPart.matches).toBeLessThan(all.matches);
    // Past the end is a NotFoundError naming the length; the whole recording as a stretch is the whole recording.
    const n = rec.chars;
    await expect(searchRecording(rec, { signal: "is_upper", limit: 5, sort: "r", to: n + 1 })).rejects.toThrow(`to ${n + 1} is past the end of the recording (${n} characters`);
    await expect(searchRecording(rec, { signal: "is_upper", limit: 5, sort: "r", from: n })).rejects.toThrow(NotFoundError);
    expect((await searchRecording(rec, { signal: "is_upper", limit: 8, sort: "r", from: 0, to: n })).results).toEqual(whole.results);
  });

  it("explains unknown models and empty stores", async () => {
    await expect(findRecording("nope")).rejects.toThrow(NotFoundError);
    await expect(recordModel(prisma, { model: modelDir, split: "test", start: 10 ** 7 })).rejects.toThrow(/outside the test split/);
  });
});
