/**
 * The models of a corpus compared: the paper's finding in words from test
 * losses (pure), and the comparison read from a real store.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_MODEL_DIR, FIXTURE_MODEL_ID as ID, throwawayStore } from "../testing/throwaway-store.ts";

const store = throwawayStore("compare-models");
// Imported after throwawayStore(): lib/db.ts opens its client on CELLSCOPE_DB.
const { setupStore } = await import("../store/setup-store.ts");
const { prisma } = await import("../db.ts");
const { initBackend } = await import("../model/backend.ts");
const { recordModel } = await import("../record/record.ts");
const { scoreRecording } = await import("../setup/score-recording.ts");
const { compareCorpusModels, describeFinding } = await import("./compare-models.ts");
const { NotFoundError } = await import("../api/errors.ts");

beforeAll(async () => {
  await setupStore();
  await initBackend("wasm");
  await recordModel(prisma, { model: FIXTURE_MODEL_DIR, split: "test", chars: 1500, chunkChars: 1024, streams: 4, warmup: 50 });
  await scoreRecording(prisma, ID);
}, 120_000);
afterAll(store.remove);

describe("the paper's finding, from test losses", () => {
  it("gives each cell type's best gap to the best LSTM, calling a GRU within 0.05 close and an RNN beyond it clearly worse", () => {
    const f = describeFinding([
      { cell: "lstm", testNats: 1.3 },
      { cell: "lstm", testNats: 1.35 },
      { cell: "gru", testNats: 1.33 },
      { cell: "rnn", testNats: 1.52 },
    ]);
    expect(f).toContain("the best GRU is 0.030 nats/char worse than the best LSTM (close, as the paper found)");
    expect(f).toContain("the best vanilla RNN is 0.220 nats/char worse than the best LSTM (clearly worse, as the paper found)");
    // A GRU far off is not called close; a better one is said to be better.
    expect(describeFinding([{ cell: "lstm", testNats: 1.3 }, { cell: "gru", testNats: 1.4 }])).not.toContain("close");
    expect(describeFinding([{ cell: "lstm", testNats: 1.3 }, { cell: "gru", testNats: 1.28 }])).toContain("0.020 nats/char better than");
  });

  it("says nothing with one cell type, without an LSTM, or without test losses", () => {
    expect(describeFinding([{ cell: "lstm", testNats: 1.3 }, { cell: "lstm", testNats: 1.4 }])).toBeNull();
    expect(describeFinding([{ cell: "gru", testNats: 1.3 }, { cell: "rnn", testNats: 1.4 }])).toBeNull();
    expect(describeFinding([{ cell: "lstm", testNats: 1.3 }, { cell: "gru", testNats: null }])).toBeNull();
  });
});

describe("a corpus's models from the store", () => {
  it("lists the corpus's models with their size, loss and share of interpretable units, and each one's best unit per signal made for the corpus", async () => {
    const c = await compareCorpusModels("warpeace");
    expect(c.models.map((m) => m.id)).toEqual([ID]);
    const m = c.models[0];
    expect(m).toMatchObject({ cell: "lstm", layers: 2, hidden: 64 });
    expect(m.interpretable!.units).toBe(2 * 2 * 64);
    const detectors = await prisma.detector.findMany({ where: { modelId: ID } });
    expect(c.signals.length).toBeGreaterThan(3);
    for (const s of c.signals) {
      const d = detectors.find((x) => x.signal === s.signal);
      expect(s.best[0] === null ? null : s.best[0].unit).toBe(d ? d.unit : null);
    }
    // A code signal is not offered for prose.
    expect(c.signals.map((s) => s.signal)).not.toContain("inside_comment");
    expect(c.finding).toBeNull();
    await expect(compareCorpusModels("nosuch")).rejects.toThrow(NotFoundError);
  });
});
