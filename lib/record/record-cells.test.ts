/**
 * Every cell other than the LSTM end to end on a tiny corpus: a few training
 * iterations, sampled and evaluated, then recorded into a real SQLite store (with and without the
 * gates), the stored bytes checked against the model's float activations,
 * ranked by search, and refused for kinds the cell does not have.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../model/backend.ts";
import { cellByName, recordedKindsOf } from "../model/cells.ts";
import { loadModel } from "../model/model-file.ts";
import { pieceRow, runStreams } from "../model/run-streams.ts";
import { sample } from "../model/sample.ts";
import { evaluate } from "../model/evaluate.ts";
import { kindRange } from "../model/unit-kinds.ts";
import { loadCorpusFor } from "../corpus/corpus.ts";
import { train } from "../train/train.ts";
import { setupStore } from "../store/setup-store.ts";
import { createPrisma, type PrismaClient } from "../db.ts";
import { closeBulk } from "../store/activations.ts";
import { checkUnit, NotFoundError, readUnitValues } from "../store/recordings.ts";
import { searchRecording } from "../search/search.ts";
import { recordModel } from "./record.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cellscope-record-cells-"));
const corpus = path.join(dir, "wp.txt");
let prisma: PrismaClient;
const saved = process.env.CELLSCOPE_DB;
const H = 32;

beforeAll(async () => {
  process.env.CELLSCOPE_DB = path.join(dir, "store.db");
  await setupStore();
  prisma = createPrisma();
  await initBackend("wasm");
  fs.writeFileSync(corpus, fs.readFileSync(path.resolve(import.meta.dirname, "../../corpora/warpeace.txt")).subarray(0, 20000));
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  closeBulk();
  if (saved === undefined) delete process.env.CELLSCOPE_DB;
  else process.env.CELLSCOPE_DB = saved;
});

const cases = [
  { cell: "rnn", optimizer: "adagrad", lr: 0.1, all: ["h"], plain: ["h"] },
  { cell: "gru", optimizer: "adam", lr: 1e-2, all: ["h", "r", "z"], plain: ["h"] },
] as const;

for (const c of cases) {
  describe(`a ${c.cell}`, () => {
    const modelDir = path.join(dir, `wp-${c.cell}`);
    const id = `wp-${c.cell}`;

    it("trains: the loss falls within 200 iterations", async () => {
      // 200, not 60: after 60 the vanilla RNN (Adagrad at 0.1 is chaotic: float rounding alone, the
      // native recurrence against the tfjs ops, parts its runs after ~20 iterations) had a space unit
      // at |r| 0.46 in one run and 0.17 in the other; after 200, 0.54 and 0.77.
      const run = train({ corpus, cell: c.cell, optimizer: c.optimizer, lr: c.lr, layers: 2, hidden: H, batch: 8, seq: 25, dropout: 0, epochs: 20, maxIterations: 200, validMinutes: 1e6, out: modelDir });
      await run.done;
      const meta = loadModel(modelDir).meta;
      expect(meta.config.cell).toBe(c.cell);
      expect(meta.training.options.optimizer).toBe(c.optimizer);
      const curve = meta.training.history.train;
      expect(curve.length).toBeGreaterThan(2);
      // From about ln(V) ≈ 4 towards the unigram entropy and below.
      expect(curve.at(-1)!.loss).toBeLessThan(curve[0].loss - 0.3);
    }, 120_000);

    it("samples and evaluates: the same seed gives the same text, and the model beats a uniform guess", async () => {
      const m = loadModel(modelDir);
      const cell = cellByName(m.meta.config.cell);
      const draw = (seed: number) => [...sample(cell, m.params, m.meta.vocab, { length: 60, temperature: 0.8, prime: "The ", seed })].join("");
      const text = draw(3);
      expect([...text].length).toBe(60);
      expect([...text].every((ch) => m.meta.vocab.includes(ch))).toBe(true);
      expect(draw(3)).toBe(text);
      expect(draw(4)).not.toBe(text);
      const ids = loadCorpusFor(m.meta).ids;
      const r = await evaluate(cell, m.params, ids, 1000, 3001, { streams: 4, warmup: 100 });
      expect(r.chars).toBe(2000);
      expect(r.nats).toBeLessThan(Math.log(m.meta.vocab.length) - 0.5);
    }, 60_000);

    it("records the kinds it has, within one quantization step of its float activations, gates only when asked", async () => {
      // One stream read from the corpus start, as the reference below: a vanilla RNN need not forget its start within a short warm-up.
      const plain = await recordModel(prisma, { model: modelDir, split: "train", start: 3000, chars: 1500, chunkChars: 256, streams: 1, warmup: 3000 });
      const gated = await recordModel(prisma, { model: modelDir, split: "train", start: 3000, chars: 1500, chunkChars: 256, streams: 1, warmup: 3000, gates: true });
      const recPlain = await prisma.recording.findUniqueOrThrow({ where: { id: plain.recordingId } });
      const rec = await prisma.recording.findUniqueOrThrow({ where: { id: gated.recordingId } });
      expect(recPlain.kinds).toBe(c.plain.join(","));
      // A cell without gates has nothing more to record with --gates: the same recording.
      expect(gated.recordingId === plain.recordingId).toBe(c.all.length === c.plain.length);
      expect(rec.kinds).toBe(c.all.join(","));
      expect(rec.status).toBe("complete");
      const model = await prisma.model.findUniqueOrThrow({ where: { id } });
      expect(model.cell).toBe(c.cell);

      // Reference: one stream reading from the start of the corpus, float32.
      const m = loadModel(modelDir);
      const ids = loadCorpusFor(m.meta).ids;
      const series = c.all.filter((k) => k !== "h");
      const float = new Map<string, Float32Array>();
      await runStreams(cellByName(c.cell), m.params, ids, 3000, 4500, { streams: 1, warmup: 3000, series, wantLayers: true }, (p) => {
        for (const k of c.all)
          for (let l = 0; l < 2; l++)
            for (let u = 0; u < H; u++) {
              const key = `${k}:${l}:${u}`;
              if (!float.has(key)) float.set(key, new Float32Array(1500));
              for (let j = 0; j < p.length; j++) float.get(key)![p.start - 3000 + j] = pieceRow(p, l, k, j)[u];
            }
      });
      expect(float.size).toBe(c.all.length * 2 * H);
      let maxErr = 0;
      for (const [unit, f] of float) {
        const stored = readUnitValues(rec, unit, 0, 1500);
        const { lo, hi } = kindRange(unit[0]);
        for (let i = 0; i < 1500; i++) {
          expect(f[i]).toBeGreaterThanOrEqual(lo);
          expect(f[i]).toBeLessThanOrEqual(hi);
          maxErr = Math.max(maxErr, Math.abs(stored[i] - f[i]));
        }
      }
      // Half a byte step of rounding, and float32 noise of the batched run.
      expect(maxErr).toBeLessThan(1 / 255 + 2e-3);
    }, 120_000);

    it("is searched over every recorded unit, and refuses kinds its cell does not have", async () => {
      const rec = await prisma.recording.findFirstOrThrow({ where: { modelId: id, kinds: c.all.join(",") } });
      const res = await searchRecording(rec, { signal: "is_space", limit: 5000, sort: "r" });
      expect(res.results.length).toBe(c.all.length * 2 * H);
      expect(new Set(res.results.map((r) => r.unit[0]))).toEqual(new Set(c.all));
      // A unit that moves with the spaces exists after even this little training.
      expect(Math.abs(res.results[0].r)).toBeGreaterThan(0.3);
      const model = { id, layers: 2, hidden: H };
      expect(() => checkUnit(rec, model, "c:0:1")).toThrow(NotFoundError);
      expect(() => checkUnit(rec, model, "c:0:1")).toThrow(`kind "c" was not recorded (recorded: ${c.all.join(",")})`);
      // A kind the cell does not have is named as such, not met with advice to record the gates.
      expect(() => checkUnit(rec, { ...model, cell: c.cell }, "f:0:1", recordedKindsOf(c.cell))).toThrow(`kind "f" was not recorded (recorded: ${c.all.join(",")}): a ${c.cell} has no forget gate (its kinds: ${c.all.join(", ")})`);
      if (c.cell === "gru") expect(() => checkUnit({ kinds: "h" }, { ...model, cell: c.cell }, "z:0:1", recordedKindsOf(c.cell))).toThrow(`record the gates with: npx cellscope record --model ${id} --gates`);
      expect(checkUnit(rec, model, "h:1:31")).toEqual({ kind: "h", layer: 1, index: 31 });
    });
  });
}
