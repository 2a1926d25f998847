import { describe, expect, it } from "vitest";
import { standaloneHtml, standaloneSvg } from "./standalone.ts";
import { css, valueColor } from "./color.ts";

const stretch = {
  model: "m",
  unit: "c:1:40",
  kind: "c",
  start: 100,
  chars: Array.from('<a href="x">\nb & c'),
  values: Array.from({ length: 18 }, (_, i) => i / 9 - 1),
  scale: "rb" as const,
  href: "http://localhost:3000/models/m/cells/c:1:40?at=100",
};

describe("a colored stretch on its own", () => {
  it("as HTML: one colored span per character, escaped, no script and nothing to fetch", () => {
    const html = standaloneHtml(stretch);
    expect(html).not.toMatch(/<script|src=|@import|url\(/i);
    const spans = [...html.matchAll(/<span title="(\d+): (-?[\d.]+)" style="background:([^"]+)">([^<]*)<\/span>/g)];
    expect(spans).toHaveLength(stretch.chars.length);
    expect(spans[0][4]).toBe("&lt;");
    expect(spans[3][4]).toBe("h");
    expect(spans[12][4]).toBe("↵\n");
    expect(spans[17][1]).toBe("117");
    expect(spans[17][3]).toBe(css(valueColor(stretch.values[17], "c", "rb")));
    expect(html).toContain(`href="${stretch.href}"`);
  });

  it("as SVG: a cell per character, lines broken at newlines and at the width", () => {
    const svg = standaloneSvg(stretch, 5);
    // The background, then one rect per character.
    expect(svg.match(/<rect /g)).toHaveLength(1 + stretch.chars.length);
    // '<a href="x">' (12) wraps at 5 into 3 lines, ↵ ends the third; "b & c" is the fourth.
    expect(svg.match(/<text x="8" y="\d+" textLength/g)).toHaveLength(4);
    expect(svg).toContain("&lt;a\u00a0hr");
    expect(svg).not.toMatch(/<a /);
  });
});
