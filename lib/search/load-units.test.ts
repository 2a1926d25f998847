/**
 * The recordings' cache is bounded by bytes, least recently used out first:
 * on a real store with two recordings of ~0.37 MB each and a 0.5 MB budget,
 * loading the second drops the first; a hit keeps an entry and moves it last.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_MODEL_DIR, throwawayStore } from "../testing/throwaway-store.ts";

const store = throwawayStore("load-units");
process.env.CELLSCOPE_UNIT_CACHE_MB = "0.5";
const { setupStore } = await import("../store/setup-store.ts");
const { prisma } = await import("../db.ts");
const { initBackend } = await import("../model/backend.ts");
const { recordModel } = await import("../record/record.ts");
const { loadUnits, clearSeriesCache, fitsUnitCache, matrixDots, UNIT_CACHE_BYTES } = await import("./load-units.ts");
const { searchRecording } = await import("./search.ts");
const { SearchQuery } = await import("./query.ts");

const recs: { id: number; chars: number; chunkChars: number }[] = [];
beforeAll(async () => {
  await setupStore();
  await initBackend("wasm");
  // Two that fit the budget one at a time, and one (2,500 characters: 256 × 2,512 bytes) that does
  // not: the model's shown recording (the longest of the valid split), so the cell views use it.
  for (const [split, chars] of [["test", 1500], ["valid", 1500], ["valid", 2500]] as const) {
    const { recordingId } = await recordModel(prisma, { model: FIXTURE_MODEL_DIR, split, chars, chunkChars: 1024, streams: 4, warmup: 50 });
    recs.push(await prisma.recording.findUniqueOrThrow({ where: { id: recordingId }, select: { id: true, chars: true, chunkChars: true } }));
  }
}, 120_000);
afterAll(() => {
  delete process.env.CELLSCOPE_UNIT_CACHE_MB;
  store.remove();
});

describe("the recordings' cache", () => {
  it("holds what fits in its byte budget and drops the least recently used", async () => {
    const [a, b] = recs;
    expect(UNIT_CACHE_BYTES).toBe(0.5 * 2 ** 20);
    const pa = loadUnits(a);
    const ua = await pa;
    // 256 units × 1,504 bytes (1,500 rounded up to 16): one fits, two do not.
    expect(ua.series).toHaveLength(256);
    expect(256 * ua.matrix.stride).toBeLessThan(UNIT_CACHE_BYTES);
    expect(2 * 256 * ua.matrix.stride).toBeGreaterThan(UNIT_CACHE_BYTES);
    expect(loadUnits(a)).toBe(pa); // a hit
    const pb = loadUnits(b);
    await pb;
    expect(loadUnits(b)).toBe(pb);
    // a was dropped to make room: asking again loads it anew, with the same bytes.
    const pa2 = loadUnits(a);
    expect(pa2).not.toBe(pa);
    expect(Array.from((await pa2).series[7].q)).toEqual(Array.from(ua.series[7].q));
    // ... and that dropped b, the least recently used.
    expect(loadUnits(a)).toBe(pa2);
    const pb2 = loadUnits(b);
    expect(pb2).not.toBe(pb);
    await pb2;
  });
});

describe("a recording larger than the budget", () => {
  it("is searched by streaming: the server holds none of it afterwards, and the ranking is the loaded one's", async () => {
    const big = await prisma.recording.findUniqueOrThrow({ where: { id: recs[2].id } });
    expect(256 * Math.ceil(big.chars / 16) * 16).toBeGreaterThan(UNIT_CACHE_BYTES);
    expect(await fitsUnitCache(recs[0])).toBe(true);
    clearSeriesCache();
    expect(await fitsUnitCache(big)).toBe(false);
    const q = SearchQuery.parse({ signal: "is_space", limit: 10 });
    const served = await searchRecording(big, q, { cache: false });
    expect(await fitsUnitCache(big)).toBe(false); // not loaded into the cache
    // The same ranking as over the whole matrix, loaded here on purpose.
    const { series, matrix } = await loadUnits(big);
    const { rankUnits } = await import("./rank.ts");
    const { signalWithin } = await import("./search.ts");
    const ref = rankUnits(series, await signalWithin(big, q), { limit: 10, dots: matrix.dotAll((await signalWithin(big, q)).values) });
    expect(served.results.map((r) => [r.unit, r.r])).toEqual(ref.results.slice(0, 10).map((r) => [r.unit, r.r]));
  });

  it("is ranked by AUC and probed by streaming too, the same as from the matrix", async () => {
    const big = await prisma.recording.findUniqueOrThrow({ where: { id: recs[2].id } });
    const { probeCells } = await import("../cells/probe-cells.ts");
    const { probeUnits } = await import("./probe-units.ts");
    const { signalWithin } = await import("./search.ts");
    const { ProbeQuery } = await import("./probe-query.ts");
    const q = SearchQuery.parse({ regex: "[aeiou]", sort: "auc", limit: 12 });
    const pq = ProbeQuery.parse({ regex: "e" });
    clearSeriesCache();
    const served = await searchRecording(big, q, { cache: false });
    const probed = await probeCells(big.modelId, pq);
    expect(await fitsUnitCache(big)).toBe(false); // neither loaded it
    expect(served.results.map((r) => r.auc!)).toHaveLength(12);
    expect(Math.abs(served.results[0].auc! - 0.5)).toBeGreaterThan(Math.abs(served.results[11].auc! - 0.5));
    expect(probed.curve.length).toBeGreaterThan(3);
    // The references: the same over the matrix, loaded here on purpose.
    const loaded = await loadUnits(big);
    const { tookMs: _a, ...fromMatrix } = await searchRecording(big, q, { cache: false });
    const { tookMs: _b, ...streamed } = served;
    expect(streamed).toEqual(fromMatrix);
    const ref = await probeUnits((y, stretch) => matrixDots(loaded, y, stretch), await signalWithin(big, pq));
    const { model: _m, query: _q, chars: _c, tookMs: _t, cached: _h, ...curve } = probed;
    expect(curve).toEqual(ref);
  });

  it("gives a cell's correlated units, the inspector's values and the search page's previews without loading it, the same as from the matrix", async () => {
    const big = await prisma.recording.findUniqueOrThrow({ where: { id: recs[2].id } });
    const { findCorrelatedUnits } = await import("../cells/correlated-units.ts");
    const { inspectChar } = await import("../inspect/inspect-char.ts");
    const { getModelContext } = await import("../cells/model-context.ts");
    expect((await getModelContext(big.modelId)).rec.id).toBe(big.id);
    // The unit that moves most (a constant one has no correlated units).
    const unit = (await prisma.unit.findFirstOrThrow({ where: { recordingId: big.id }, orderBy: { std: "desc" } })).unit;
    const { searchCells } = await import("../cells/search-cells.ts");
    const query = SearchQuery.parse({ regex: "e", limit: 5 });
    clearSeriesCache();
    const corr = await findCorrelatedUnits(big.modelId, unit, 8);
    const char = await inspectChar(big.modelId, 1234);
    const found = await searchCells(big.modelId, query);
    expect(await fitsUnitCache(big)).toBe(false); // none of them loaded it
    expect(found.results.every((r) => r.preview !== null)).toBe(true);
    // The reference: the matrix, loaded here on purpose.
    const { series } = await loadUnits(big);
    const byUnit = new Map(series.map((s) => [s.unit, s.q]));
    const { kindRange, dequantize } = await import("../store/quantize.ts");
    const values = char.groups.flatMap((g) => g.units);
    expect(values).toHaveLength(256);
    for (const v of values) expect(v.value, v.unit).toBeCloseTo(dequantize(byUnit.get(v.unit)![1234], kindRange(v.unit[0] as "c" | "h")), 3);
    clearSeriesCache();
    await loadUnits(big); // now cached: the matrix path
    expect(await findCorrelatedUnits(big.modelId, unit, 8)).toEqual(corr);
    const { tookMs: _a, ...again } = await searchCells(big.modelId, query);
    const { tookMs: _b, ...first } = found;
    expect(again).toEqual(first);
    expect(corr.length).toBe(8);
  });
});

describe("a streamed search (the CLI's)", () => {
  it("ranks exactly as a search over the loaded matrix: regex, built-in signal, stretch, AUC", async () => {
    const rec = await prisma.recording.findUniqueOrThrow({ where: { id: recs[0].id } });
    const queries = [
      { regex: "e", limit: 5 },
      { signal: "chars_since_newline", limit: 300 },
      { regex: "[aeiou]", from: 100, to: 1300, limit: 20 },
      { signal: "chars_since_newline", from: 900, limit: 10 },
      { regex: "th", sort: "auc", limit: 3 },
      { regex: "[aeiou]", sort: "auc", from: 200, to: 1400, limit: 15 },
      { signal: "chars_since_newline", sort: "auc", limit: 4 }, // not on/off: ranked by r
    ].map((q) => SearchQuery.parse(q));
    for (const q of queries) {
      clearSeriesCache(); // so the stream reads SQLite (a loaded matrix would answer it)
      const streamed = await searchRecording(rec, q, { cache: false, stream: true });
      const loaded = await searchRecording(rec, q, { cache: false });
      const strip = ({ tookMs: _t, ...r }: { tookMs: number }) => r;
      expect(streamed.results.length, JSON.stringify(q)).toBeGreaterThan(0);
      expect(strip(streamed), JSON.stringify(q)).toEqual(strip(loaded));
    }
  });
});
