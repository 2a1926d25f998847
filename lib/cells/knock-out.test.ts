/**
 * Knock-out on a real store: where its streams coincide with the recording's
 * (same length and warm-up), the free run gives the loss the recording stored;
 * the held run differs, its changes add up to its total, and bad requests get
 * clear errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_MODEL_DIR, FIXTURE_MODEL_ID as ID, throwawayStore } from "../testing/throwaway-store.ts";

const store = throwawayStore("knock-out");
const { setupStore } = await import("../store/setup-store.ts");
const { prisma } = await import("../db.ts");
const { initBackend } = await import("../model/backend.ts");
const { recordModel } = await import("../record/record.ts");
const { knockOut, KNOCKOUT_STREAM, KNOCKOUT_WARMUP } = await import("./knock-out.ts");

beforeAll(async () => {
  await setupStore();
  await initBackend("wasm");
  // Two streams of KNOCKOUT_STREAM characters, each warmed up on KNOCKOUT_WARMUP: the knock-out's own layout.
  await recordModel(prisma, { model: FIXTURE_MODEL_DIR, split: "test", chars: 2 * KNOCKOUT_STREAM, streams: 2, warmup: KNOCKOUT_WARMUP });
}, 120_000);
afterAll(store.remove);

describe("knocking a unit out", () => {
  it("reproduces the recording's loss when free, and changes it when held", async () => {
    // From offset 1: character p is predicted at p − 1, so the run starts at position 0 like the recording.
    const r = await knockOut(ID, "c:1:17", { from: 1, to: 2 * KNOCKOUT_STREAM, value: "zero" });
    expect(r.nats.free).toBeCloseTo(r.nats.recorded, 5);
    expect(Math.abs(r.nats.held - r.nats.free)).toBeGreaterThan(1e-4);
    expect(r.delta).toHaveLength(2 * KNOCKOUT_STREAM - 1);
    const sum = r.delta.reduce((a: number, d) => a + (d ?? 0), 0);
    expect(sum).toBeCloseTo(r.total, 2);
    expect(r.total / r.delta.length).toBeCloseTo(r.nats.held - r.nats.free, 3);
    expect(r.helped[0].delta).toBe(Math.max(...r.delta.map((d) => d ?? -Infinity)));
    expect(r.text[r.helped[0].offset - r.from]).toBe(r.helped[0].char);
  });

  it("holds at the unit's mean or a given value, and the first character has no prediction", async () => {
    const unit = await prisma.unit.findFirstOrThrow({ where: { unit: "h:0:3" } });
    const atMean = await knockOut(ID, "h:0:3", { from: 0, to: 300, value: "mean" });
    expect(atMean.value).toBeCloseTo(unit.mean, 5);
    expect(atMean.hold).toBe("mean");
    expect(atMean.delta[0]).toBeNull();
    const atHalf = await knockOut(ID, "h:0:3", { from: 0, to: 300, value: 0.5 });
    expect(atHalf).toMatchObject({ value: 0.5, hold: "value" });
    expect(atHalf.total).not.toBeCloseTo(atMean.total, 3);
  });

  it("refuses what it cannot do, saying why", async () => {
    await expect(knockOut(ID, "c:1:17", { from: 10, to: 10, value: "zero" })).rejects.toThrow(/to must be a whole number greater than from \(10\)/);
    await expect(knockOut(ID, "c:1:17", { from: 0, to: 30_000, value: "zero" })).rejects.toThrow(/at most 20000 at a time/);
    await expect(knockOut(ID, "c:1:17", { from: 5000, to: 6000, value: "zero" })).rejects.toThrow(/from must be an offset of the recording \(0 to 1999\)/);
    await expect(knockOut(ID, "c:1:99", { from: 0, to: 100, value: "zero" })).rejects.toThrow(/index 99 does not exist/);
  });
});
