import { describe, expect, it } from "vitest";
import { captioningHref, cellHref, decodeObjects, decodeUnitParam, HELLO_DEFAULT_SEED, HELLO_MAX_STEP, helloHref, parseHelloView, unitFromPath, modelHref, parseCellView, parseOffset, searchHref, textWindow } from "./urls.ts";

describe("view state in URLs", () => {
  it("reads the cell view from search params, with defaults", () => {
    expect(parseCellView({})).toEqual({ view: { scale: "rb", color: "unit" } });
    expect(parseCellView({ at: "120", scale: "cb", color: "surprise" })).toEqual({ view: { at: 120, scale: "cb", color: "surprise" } });
    expect(parseCellView(new URLSearchParams("at=7&scale=nope"))).toEqual({ view: { at: 7, scale: "rb", color: "unit" } });
    expect(parseCellView({ at: ["3", "4"] }).view.at).toBe(3);
  });

  it("explains an unreadable ?at= instead of failing", () => {
    const r = parseCellView({ at: "abc" });
    expect(r.view.at).toBeUndefined();
    expect(r.problem).toMatch(/whole number/);
    expect(parseCellView({ at: "-5" }).problem).toMatch(/negative/);
  });

  it("parses offsets", () => {
    expect(parseOffset("1,234")).toBe(1234);
    expect(parseOffset(" 0 ")).toBe(0);
    expect(parseOffset("1.5")).toMatch(/whole number/);
    expect(parseOffset("99999999999999999999")).toMatch(/too large/);
  });

  it("reads a unit spelled as a path: layer/index is the cell state, kind/layer/index any kind", () => {
    expect(unitFromPath(["1", "83"])).toBe("c:1:83");
    expect(unitFromPath(["h", "0", "007"])).toBe("h:0:7");
    expect(unitFromPath(["f", "1", "2"])).toBe("f:1:2");
    // A model whose cell has no c (a GRU, a vanilla RNN): layer/index is its h.
    expect(unitFromPath(["1", "83"], "h")).toBe("h:1:83");
    expect(unitFromPath(["z", "1", "83"], "h")).toBe("z:1:83");
    for (const bad of [["1"], ["x", "1", "2"], ["1", "-2"], ["1", "2.5"], ["c", "1", "2", "3"], ["123", "4"], ["1", "12345"], ["c:1:83", "2"]])
      expect(unitFromPath(bad), bad.join("/")).toBeNull();
  });

  it("accepts unit ids with raw or percent-encoded colons", () => {
    expect(decodeUnitParam("c:1:83")).toBe("c:1:83");
    expect(decodeUnitParam("c%3A1%3A83")).toBe("c:1:83");
    expect(decodeUnitParam("c%253A1%253A83")).toBe("c:1:83");
    expect(decodeUnitParam("%E0%A4%A")).toBe("%E0%A4%A");
  });

  it("writes links that round-trip the state, leaving defaults out", () => {
    expect(cellHref("warpeace-2x64", "c:1:83")).toBe("/models/warpeace-2x64/cells/c:1:83");
    const href = cellHref("warpeace-2x64", "h:0:2", { at: 500, scale: "cb", color: "surprise" });
    expect(href).toBe("/models/warpeace-2x64/cells/h:0:2?at=500&scale=cb&color=surprise");
    const url = new URL(href, "http://x");
    expect(parseCellView(url.searchParams).view).toEqual({ at: 500, scale: "cb", color: "surprise" });
    expect(cellHref("m", "c:0:1", { scale: "rb", color: "unit", at: 0 })).toBe("/models/m/cells/c:0:1?at=0");
    expect(modelHref("m", { stat: "mean", scale: "cb" })).toBe("/models/m?stat=mean&scale=cb");
  });

  it("writes search links for regexes and signals", () => {
    expect(searchHref("m", { q: '"[^"]*"' })).toBe("/models/m/search?q=%22%5B%5E%22%5D*%22");
    expect(searchHref("m", { q: "\\(", mode: "depth", close: "\\)" })).toBe("/models/m/search?q=%5C(&mode=depth&close=%5C)");
    expect(searchHref("m", { signal: "inside_quotes", q: "ignored", sort: "auc" })).toBe("/models/m/search?signal=inside_quotes&sort=auc");
    expect(searchHref("m", { signal: "inside_quotes", from: 0, to: 60000 })).toBe("/models/m/search?signal=inside_quotes&to=60000");
    expect(searchHref("m", { q: "x", from: 10, to: 20 })).toBe("/models/m/search?q=x&from=10&to=20");
  });

  it("places the text window around the selection in whole blocks, inside the recording", () => {
    expect(textWindow(undefined, 100_000)).toEqual({ start: 0, end: 4096 });
    expect(textWindow(10_000, 100_000)).toEqual({ start: 8192, end: 12_288 });
    expect(textWindow(11_000, 100_000)).toEqual({ start: 8192, end: 14_336 });
    expect(textWindow(99_999, 100_000)).toEqual({ start: 98_304, end: 100_000 });
    expect(textWindow(10, 300)).toEqual({ start: 0, end: 300 });
    for (const at of [0, 1023, 1024, 5000, 77_777]) {
      const w = textWindow(at, 100_000);
      expect(w.start % 2048).toBe(0);
      expect(w.start).toBeLessThanOrEqual(Math.max(0, at - 1024));
      expect(w.end).toBeGreaterThanOrEqual(at + 2048);
    }
  });

  it("reads /learn/hello's seed and step, explaining what it cannot read; its links always carry both", () => {
    expect(parseHelloView({})).toEqual({ view: { seed: HELLO_DEFAULT_SEED, step: 0 }, problems: [] });
    expect(parseHelloView(new URLSearchParams("seed=7&step=150"))).toEqual({ view: { seed: 7, step: 150 }, problems: [] });
    expect(parseHelloView({ seed: "4294967295", step: String(HELLO_MAX_STEP) }).view).toEqual({ seed: 4294967295, step: HELLO_MAX_STEP });
    const bad = parseHelloView({ seed: "-3", step: String(HELLO_MAX_STEP + 1) });
    expect(bad.view).toEqual({ seed: HELLO_DEFAULT_SEED, step: 0 });
    expect(bad.problems).toEqual(["?seed=-3: the seed must be a whole number, 0 or more", "?step=10001: the step must be at most 10,000"]);
    expect(parseHelloView({ seed: "4294967296" }).problems).toHaveLength(1);
    expect(parseHelloView({ step: "1.5" }).problems[0]).toMatch(/whole number/);
    expect(helloHref({ seed: 7, step: 0 })).toBe("/learn/hello?seed=7&step=0");
    expect(parseHelloView(new URL(helloHref({ seed: 12, step: 300 }), "http://x").searchParams).view).toEqual({ seed: 12, step: 300 });
  });
});

describe("captioning links", () => {
  it("carry a drawing through the URL unchanged, and a test scene by default", () => {
    const objects = [
      { shape: "circle", color: "red", size: "large", x: 16, y: 16 },
      { shape: "square", color: "blue", size: "small", x: 16, y: 50 },
    ];
    const href = captioningHref({ objects, unit: "c:0:12" });
    expect(href).toBe("/captioning?objects=circle.red.large.16.16_square.blue.small.16.50&unit=c%3A0%3A12");
    const q = new URLSearchParams(href.split("?")[1]);
    expect(decodeObjects(q.get("objects")!)).toEqual(objects);
    expect(captioningHref({})).toBe("/captioning?scene=test-0");
    expect(captioningHref({ scene: "test-7", temperature: 0.5 })).toBe("/captioning?scene=test-7&temperature=0.5");
  });
});
