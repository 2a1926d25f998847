/**
 * Probes of a real store (the fixture model recorded and scored as set-up
 * does), through the model-level function, the API route and the CLI: a curve
 * for a signal and for a regex, and bad input refused with a clear error.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FIXTURE_MODEL_DIR, FIXTURE_MODEL_ID as ID, throwawayStore } from "../testing/throwaway-store.ts";

const store = throwawayStore("probe-cells");
// Imported after throwawayStore(): lib/db.ts opens its client on CELLSCOPE_DB.
const { setupStore } = await import("../store/setup-store.ts");
const { prisma } = await import("../db.ts");
const { initBackend } = await import("../model/backend.ts");
const { recordModel } = await import("../record/record.ts");
const { scoreRecording } = await import("../setup/score-recording.ts");
const { probeCells, probeCellsFromParams } = await import("./probe-cells.ts");
const { GET } = await import("../../app/api/models/[model]/probe/route.ts");
const { main } = await import("../cli/main.ts");

beforeAll(async () => {
  await setupStore();
  await initBackend("wasm");
  await recordModel(prisma, { model: FIXTURE_MODEL_DIR, split: "test", chars: 1500, chunkChars: 1024, streams: 4, warmup: 50 });
  await scoreRecording(prisma, ID);
}, 120_000);
afterAll(store.remove);

const get = (query: string, model = ID) => GET(new Request(`http://localhost/api/models/${model}/probe?${query}`), { params: Promise.resolve({ model }) });

describe("probing a recorded model", () => {
  it("the column (a position): a ridge curve over k and one fit per layer and kind, scored on the last 20%", async () => {
    const r = await probeCells(ID, { signal: "chars_since_newline" });
    expect(r.problem).toBeUndefined();
    expect([r.method, r.metric, r.chars, r.trainChars, r.testChars]).toEqual(["ridge", "R²", 1500, 1200, 300]);
    expect(r.curve.map((p) => p.k)).toEqual([1, 2, 4, 8, 16, 32]);
    for (const p of r.curve) {
      expect(p.units).toHaveLength(p.k);
      expect(p.units).toEqual(r.curve.at(-1)!.units.slice(0, p.k)); // nested: the best k are the first k of the best 32
      expect(Number.isFinite(p.score)).toBe(true);
      expect(p.score).toBeLessThanOrEqual(1);
    }
    expect(r.groups.map((g) => `${g.kind}:${g.layer}:${g.units}`)).toEqual(["c:0:64", "h:0:64", "c:1:64", "h:1:64"]);
    // No claim on the level: War and Peace models carry the column barely linearly at all (R² about
    // 0.03 from all 256 c units of layer 0 of warpeace-2x256, which numpy's own fit confirms).
    // A repeat is the cached answer.
    expect((await probeCells(ID, { signal: "chars_since_newline" })).cached).toBe(true);
  });

  it("a regex (on/off): a logistic curve of AUCs, through the API as JSON", async () => {
    const res = await get(`q=${encodeURIComponent("[aeiou]")}&mode=inside`);
    expect(res.status).toBe(200);
    const r = await res.json();
    expect([r.method, r.metric]).toEqual(["logistic", "AUC"]);
    expect(r.query).toEqual({ regex: "[aeiou]", mode: "inside" });
    expect(r.curve.length).toBe(6);
    for (const p of [...r.curve, ...r.groups]) expect(p.score).toBeGreaterThanOrEqual(0), expect(p.score).toBeLessThanOrEqual(1);
    // Vowels are easy for a char-level model: its best read-outs separate them well out of sample.
    expect(Math.max(...r.groups.map((g: { score: number }) => g.score))).toBeGreaterThan(0.8);
  });

  it("refuses bad input with the API's one error shape", async () => {
    const cases: [string, number, string, RegExp][] = [
      ["signal=nope", 400, "bad_query", /unknown signal \(known: inside_quotes/],
      ["q=a&signal=is_space", 400, "bad_query", /either q .* or signal/],
      ["", 400, "bad_query", /give q .* or signal/],
      ["q=(", 400, "invalid_pattern", /invalid pattern/],
      ["q=a&mode=sideways", 400, "bad_query", /mode must be one of inside, start, end, after, depth/],
      [`q=${encodeURIComponent("\\(")}&mode=depth`, 400, "bad_query", /depth mode needs a closing pattern/],
    ];
    for (const [query, status, code, message] of cases) {
      const res = await get(query);
      const body = await res.json();
      expect({ query, status: res.status, code: body.error?.code }).toEqual({ query, status, code });
      expect(body.error.message).toMatch(message);
    }
    const unknown = await get("signal=is_space", "no-such-model");
    expect([unknown.status, (await unknown.json()).error.code]).toEqual([404, "not_found"]);
    await expect(probeCellsFromParams(ID, new URLSearchParams("q=QQQZZ"))).resolves.toMatchObject({ problem: "the signal is never on over the first 80% (the training part)", curve: [] });
  });

  it("the CLI prints the curve as JSON, and a mistake as one line", async () => {
    let out = "", err = "";
    const so = vi.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
    const se = vi.spyOn(process.stderr, "write").mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
    try {
      expect(await main(["probe", "--model", ID, "--signal", "is_space", "--json"])).toBe(0);
      expect(await main(["probe", "--model", ID, "--signal", "is_space", "--regex", "a"])).toBe(1);
      expect(await main(["probe", "--model", ID, "--regex", "("])).toBe(1);
    } finally {
      so.mockRestore();
      se.mockRestore();
    }
    const r = JSON.parse(out.trim().split("\n")[0]);
    expect([r.model, r.metric, r.curve.length, r.groups.length]).toEqual([ID, "AUC", 6, 4]);
    // (A progress bar may come first when the machine is slow: the lines that matter are the errors.)
    expect(err.trim().split("\n").filter((l) => l.startsWith("cellscope"))).toEqual(["cellscope probe: error: probe needs exactly one of --regex or --signal", expect.stringMatching(/^cellscope probe: error: invalid pattern/)]);
  });
});
