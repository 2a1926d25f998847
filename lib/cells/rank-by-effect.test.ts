/**
 * Ranking by effect on a real store: the units knocked out for real get what a
 * knock-out of each alone gives on the marked characters (knock-out.ts, a
 * separate run), the rest keep their estimate, and queries that mark nothing
 * or nothing on/off are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_MODEL_DIR, FIXTURE_MODEL_ID as ID, throwawayStore } from "../testing/throwaway-store.ts";

const store = throwawayStore("rank-by-effect");
const { setupStore } = await import("../store/setup-store.ts");
const { prisma } = await import("../db.ts");
const { initBackend } = await import("../model/backend.ts");
const { recordModel } = await import("../record/record.ts");
const { knockOut, KNOCKOUT_STREAM, KNOCKOUT_WARMUP } = await import("./knock-out.ts");
const { EffectQuery, rankByEffect, parseEffectParams } = await import("./rank-by-effect.ts");
const { expectCleanError, runCliHere } = await import("../testing/cli-here.ts");
const cli = (...args: string[]) => runCliHere(args, { models: FIXTURE_MODEL_DIR + "/.." });

const N = 2 * KNOCKOUT_STREAM;
beforeAll(async () => {
  await setupStore();
  await initBackend("wasm");
  await recordModel(prisma, { model: FIXTURE_MODEL_DIR, split: "test", chars: N, streams: 2, warmup: KNOCKOUT_WARMUP });
}, 120_000);
afterAll(store.remove);

const query = (o: Record<string, unknown>) => EffectQuery.parse({ from: 0, to: N, exact: 3, limit: 8, ...o });

describe("ranking units by their knock-out effect", () => {
  it("knocks the first units out for real, as a knock-out of each alone measures them on the marked characters", async () => {
    const r = await rankByEffect(ID, query({ regex: " ", mode: "inside" }));
    const rec = await prisma.recording.findFirstOrThrow({ where: { modelId: ID } });
    const text = Array.from(rec.text);
    expect(r.marked).toBe(text.slice(1, N).filter((c) => c === " ").length);
    expect(r.ranked).toBe(2 * 2 * 64); // c and h, two layers of 64
    expect(r.units).toHaveLength(8);
    const exact = r.units.filter((u) => u.exact !== null);
    // Three knocked out; an LSTM's c and h of one index held at 0 are one knock-out, measured once for both.
    expect(new Set(exact.map((u) => u.unit.slice(u.unit.indexOf(":")))).size).toBe(3);
    expect(r.units.slice(0, exact.length)).toEqual(exact);
    expect(exact.map((u) => u.exact)).toEqual([...exact.map((u) => u.exact)].sort((a, b) => b! - a!));
    for (const u of exact) {
      const ko = await knockOut(ID, u.unit, { from: 0, to: N, value: "zero" });
      const marked = ko.delta.filter((d, i) => d !== null && ko.text[i] === " ") as number[];
      expect(marked).toHaveLength(r.marked);
      expect(u.exact!).toBeCloseTo(marked.reduce((a, d) => a + d, 0) / marked.length, 4);
    }
    expect(exact[0].exact!).toBeGreaterThan(0.01); // the best unit matters to predicting spaces
    const rest = r.units.slice(exact.length).map((u) => u.estimate);
    expect(rest).toEqual([...rest].sort((a, b) => b - a));
    const again = await rankByEffect(ID, query({ regex: " ", mode: "inside" }));
    expect(again.cached).toBe(true);
    expect(again.units).toEqual(r.units);
  });

  it("holds at each unit's mean when asked, which changes the effects", async () => {
    const atZero = await rankByEffect(ID, query({ regex: "\\n", mode: "inside", exact: 0 }));
    const atMean = await rankByEffect(ID, query({ regex: "\\n", mode: "inside", exact: 0, value: "mean" }));
    expect(atMean.units.map((u) => u.estimate)).not.toEqual(atZero.units.map((u) => u.estimate));
    expect(atZero.units.every((u) => u.exact === null)).toBe(true);
    expect(atZero.agreement).toBeNull();
  });

  it("refuses queries that mark nothing, or mark no on/off characters, saying why", async () => {
    await expect(rankByEffect(ID, query({ regex: "QQQ", mode: "inside" }))).rejects.toThrow(/marks no character in 0–2000/);
    await expect(rankByEffect(ID, query({ regex: "\\(", mode: "depth", close: "\\)" }))).rejects.toThrow(/on or off: use mode inside, start, end or after/);
    await expect(rankByEffect(ID, query({ signal: "chars_since_newline" }))).rejects.toThrow(/chars_since_newline is not an on\/off signal/);
    await expect(rankByEffect(ID, query({ regex: " ", from: 5000, to: 6000 }))).rejects.toThrow(/from must be an offset of the recording \(0 to 1999\)/);
    expect(() => parseEffectParams(new URLSearchParams("q=a&exact=99"))).toThrow(/exact must be at most 32/);
    expect(() => parseEffectParams(new URLSearchParams("q=a&signal=inside_quotes"))).toThrow(/not both/);
    expect(parseEffectParams(new URLSearchParams("signal=inside_quotes&value=mean"))).toMatchObject({ signal: "inside_quotes", value: "mean", exact: 10, from: 0 });
  });

  it("says what is wrong on the command line in one line (effect, errors)", async () => {
    expectCleanError(await cli("effect", "--regex", "a"), /effect needs --model/);
    expectCleanError(await cli("effect", "--model", ID), /exactly one of --regex or --signal/);
    expectCleanError(await cli("effect", "--model", ID, "--regex", "a", "--exact", "99"), /--exact: exact must be at most 32/);
    expectCleanError(await cli("effect", "--model", ID, "--regex", "QQQ"), /marks no character/);
    expectCleanError(await cli("errors"), /errors needs --model/);
    expectCleanError(await cli("errors", "--model", "no-such-model"), /no-such-model/);
  });
});
