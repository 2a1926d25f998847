/**
 * The error analysis on a real store: its parts add up to the model's loss,
 * its counts to the characters scored, each category's worst characters obey
 * the category's rule (checked here on the text itself), and the n-gram
 * oracle does at least as well as the best single n.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_MODEL_DIR, FIXTURE_MODEL_ID as ID, throwawayStore } from "../testing/throwaway-store.ts";

const store = throwawayStore("analyze-errors");
const { setupStore } = await import("../store/setup-store.ts");
const { prisma } = await import("../db.ts");
const { initBackend } = await import("../model/backend.ts");
const { recordModel } = await import("../record/record.ts");
const { openBulk, readChars } = await import("../store/activations.ts");
const { analyzeErrors, ERROR_THRESHOLD } = await import("./analyze-errors.ts");

const N = 6000;
beforeAll(async () => {
  await setupStore();
  await initBackend("wasm");
  await recordModel(prisma, { model: FIXTURE_MODEL_DIR, split: "test", chars: N });
}, 120_000);
afterAll(store.remove);

describe("breaking a model's loss down by the characters it gets wrong", () => {
  it("splits the loss into what it got right and each category of error, with the n-gram models beside it", async () => {
    const r = await analyzeErrors(ID);
    const rec = await prisma.recording.findFirstOrThrow({ where: { modelId: ID } });
    const nll = readChars(openBulk(), rec.id, rec.chunkChars, 0, N - 1).nll;
    const finite = Array.from(nll).filter(Number.isFinite);
    expect(r.chars).toBe(finite.length);
    expect(r.nats).toBeCloseTo(finite.reduce((a, x) => a + x, 0) / finite.length, 4);
    expect(r.right.chars).toBe(finite.filter((x) => Math.exp(-x) >= ERROR_THRESHOLD).length);
    expect(r.right.chars + r.categories.reduce((a, c) => a + c.chars, 0)).toBe(r.chars);
    expect(r.right.nats + r.categories.reduce((a, c) => a + c.nats, 0)).toBeCloseTo(r.nats, 3);
    expect(r.categories.map((c) => c.key)).toEqual(["ngram", "memory", "rare", "word", "newline", "punct", "rest"]);
    expect(r.categories.filter((c) => c.chars > 0).length).toBeGreaterThanOrEqual(5);

    const text = Array.from(rec.text);
    const rule: Record<string, (q: number) => boolean> = {
      word: (q) => text[q - 1] === " ",
      newline: (q) => text[q - 1] === "\n",
      punct: (q) => /\p{P}/u.test(text[q - 1]),
      memory: (q) => text.slice(Math.max(0, q - 506), q).join("").includes(text.slice(q - 5, q + 1).join("")),
    };
    for (const c of r.categories) {
      for (const q of c.worst) {
        expect(Math.exp(-nll[q - 1])).toBeLessThan(ERROR_THRESHOLD); // an error
        if (rule[c.key]) expect(rule[c.key](q)).toBe(true);
      }
    }
    expect(r.ngram.nats).toHaveLength(20);
    expect(r.ngram.bestNats).toBe(Math.min(...r.ngram.nats));
    expect(r.ngram.nats[r.ngram.bestN - 1]).toBe(r.ngram.bestNats);
    expect(r.ngram.bestNats).toBeLessThan(r.ngram.nats[0] - 0.5); // context helps
    expect(r.ngram.oracleNats).toBeLessThan(r.ngram.bestNats);
    expect(r.paper).toEqual({ model: 1.077, ngram: 1.195 });
  });
});
