import { describe, expect, it } from "vitest";
import { chunkHtml, chunkOffset } from "./text-html.ts";

describe("colored text HTML", () => {
  it("writes one span per character with its color, escaping HTML; only the selected one carries its offset", () => {
    const html = chunkHtml({ start: 10, chars: ["<", "a", "&", '"', "\n"], values: [-1, 0, 1, 0.5, 0] }, "h", "rb", "unit", 12);
    const spans = html.match(/<span[^>]*>[^<]*<\/span>/g)!;
    expect(spans).toHaveLength(5);
    expect(spans[0]).toBe('<span style="background:#ef5350">&lt;</span>');
    expect(spans[1]).toBe('<span style="background:#ffffff">a</span>');
    expect(spans[2]).toBe('<span data-o="12" class="sel" aria-current="true" style="background:#4285f4">&amp;</span>');
    expect(spans[3]).toContain("&quot;");
    expect(spans[4]).toBe('<span class="nl" style="background:#ffffff">\n</span>');
  });

  it("colors by surprise when asked (unknown loss is white)", () => {
    const html = chunkHtml({ start: 0, chars: ["a", "b"], values: [1, 1], surprise: [null, 6] }, "c", "rb", "surprise", -1);
    expect(html).toBe('<span style="background:#ffffff">a</span><span style="background:#ef5350">b</span>');
  });
});

describe("a character span's offset", () => {
  // The shape of the DOM the text view hands it (no DOM in unit tests: plain objects with the same fields).
  const window = { dataset: { chunk: "500" }, children: [] as object[] };
  const span = (o?: number) => ({ tagName: "SPAN", dataset: o === undefined ? {} : { o: String(o) }, parentElement: window });
  const spans = [span(), span(), span(502), span()];
  window.children.push(...spans);

  it("is the window's start plus the span's index, or the span's own data-o", () => {
    expect(spans.map((s) => chunkOffset(s as unknown as Element))).toEqual([500, 501, 502, 503]);
    // A laid-out row's span: its own data-o, whatever its parent.
    expect(chunkOffset({ tagName: "SPAN", dataset: { o: "77" }, parentElement: { dataset: {} } } as unknown as Element)).toBe(77);
  });

  it("is undefined outside a window: the window itself, or a bare span", () => {
    expect(chunkOffset({ tagName: "SPAN", dataset: { chunk: "500" }, parentElement: { dataset: {} } } as unknown as Element)).toBeUndefined();
    expect(chunkOffset({ tagName: "SPAN", dataset: {}, parentElement: { dataset: {} } } as unknown as Element)).toBeUndefined();
  });
});

describe("rows HTML", () => {
  it("writes one div per row and one span per character, newlines empty, unknown colors bare", async () => {
    const { rowsHtml } = await import("./text-html.ts");
    const chars = Array.from("a<\tb\nc\u0001");
    const html = rowsHtml({ chars, starts: Int32Array.from([0, 5]) }, 0, 2, (o) => (o === 1 ? null : "#fff"), 5);
    expect(html).toBe(
      '<div class="vr"><span data-o="0" style="background:#fff">a</span><span data-o="1">&lt;</span>' +
        '<span data-o="2" style="background:#fff">\t</span><span data-o="3" style="background:#fff">b</span><span data-o="4" class="nl" style="background:#fff"></span></div>' +
        '<div class="vr"><span data-o="5" class="sel" aria-current="true" style="background:#fff">c</span><span data-o="6" style="background:#fff">␁</span></div>',
    );
    expect(rowsHtml({ chars, starts: Int32Array.from([0, 5]) }, 1, 9, () => null, -1)).toMatch(/^<div class="vr"><span data-o="5">c<\/span>/);
  });
});

describe("heat strip SVG", () => {
  it("writes a link and a rect per unit in order, the current one outlined, hrefs escaped", async () => {
    const { heatStripHtml } = await import("./text-html.ts");
    const html = heatStripHtml([{ unit: "h:0:2", value: 1 }, { unit: "h:0:10", value: -0.5 }], "h", "rb", (u) => `/m/${u}?a=1&b=2`, "h:0:10");
    expect(html).toBe(
      '<a href="/m/h:0:2?a=1&amp;b=2" aria-label="h:0:2 1.000" data-unit="h:0:2"><rect x="0" y="0" width="1.02" height="1" fill="#4285f4"></rect></a>' +
        '<a href="/m/h:0:10?a=1&amp;b=2" aria-label="h:0:10 -0.500" data-unit="h:0:10"><rect x="1" y="0" width="1.02" height="1" fill="#f7a9a8" stroke="#1c1917" stroke-width="0.15" vector-effect="non-scaling-stroke"></rect></a>',
    );
  });
});

describe("snippet HTML", () => {
  it("shows one line with the marked span flagged", async () => {
    const { snippetHtml, showChar } = await import("./text-html.ts");
    const html = snippetHtml({ start: 100, text: 'a\n"<', values: [0, 0, 1, -1], mark: [102, 104] }, "c", "cb");
    expect(html).toBe(
      '<span style="background:#ffffff">a</span><span style="background:#ffffff">↵</span>' +
        '<span class="m" data-mark="" style="background:#998ec3">&quot;</span><span class="m" data-mark="" style="background:#e08214">&lt;</span>',
    );
    expect(showChar("\t")).toBe("→");
    expect(showChar("\u0001")).toBe("␁");
  });
});
