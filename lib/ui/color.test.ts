import { describe, expect, it } from "vitest";
import { contrast, css, cssRgb, divergingColor, gradientCss, normalizeValue, SCALE_INFO, sequentialColor, surpriseColor, valueColor } from "./color.ts";

const INK: [number, number, number] = [28, 25, 23]; // stone-900

describe("activation colors", () => {
  it("maps −1 to red, 0 to white and +1 to blue (as in the paper)", () => {
    expect(valueColor(0, "c")).toEqual([255, 255, 255]);
    expect(valueColor(-1, "h")).toEqual(SCALE_INFO.rb.neg);
    expect(valueColor(1, "h")).toEqual(SCALE_INFO.rb.pos);
    const [r, g, b] = valueColor(-1, "c");
    expect(r).toBeGreaterThan(b);
    const [r2, , b2] = valueColor(1, "c");
    expect(b2).toBeGreaterThan(r2);
  });

  it("is monotonic: stronger values are further from white", () => {
    const dist = (v: number) => {
      const c = valueColor(v, "c");
      return 765 - c[0] - c[1] - c[2];
    };
    expect(dist(0.2)).toBeLessThan(dist(0.6));
    expect(dist(-0.2)).toBeLessThan(dist(-0.6));
  });

  it("centres gates (range 0..1) on 0.5", () => {
    expect(normalizeValue(0.5, "f")).toBe(0);
    expect(valueColor(0.5, "i")).toEqual([255, 255, 255]);
    expect(valueColor(0, "o")).toEqual(SCALE_INFO.rb.neg);
    expect(valueColor(1, "o")).toEqual(SCALE_INFO.rb.pos);
  });

  it("clamps out-of-range values and treats NaN as white", () => {
    expect(divergingColor(5)).toEqual(divergingColor(1));
    expect(divergingColor(-5)).toEqual(divergingColor(-1));
    expect(divergingColor(NaN)).toEqual([255, 255, 255]);
  });

  it("has a color-blind-safe orange–purple scale", () => {
    expect(valueColor(-1, "c", "cb")).toEqual(SCALE_INFO.cb.neg);
    expect(valueColor(1, "c", "cb")).toEqual(SCALE_INFO.cb.pos);
    const [r, , b] = SCALE_INFO.cb.neg;
    expect(r).toBeGreaterThan(b); // orange
    const [r2, , b2] = SCALE_INFO.cb.pos;
    expect(b2).toBeGreaterThan(r2); // purple
  });

  it("keeps dark text readable on every end color (WCAG AA, 4.5:1)", () => {
    for (const s of Object.values(SCALE_INFO)) {
      expect(contrast(s.neg, INK)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(s.pos, INK)).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrast(surpriseColor(100), INK)).toBeGreaterThanOrEqual(4.5);
  });

  it("colors surprise from white (no loss) towards red (high loss)", () => {
    expect(surpriseColor(0)).toEqual([255, 255, 255]);
    expect(surpriseColor(NaN)).toEqual([255, 255, 255]);
    const lo = surpriseColor(1), hi = surpriseColor(5);
    expect(hi[1]).toBeLessThan(lo[1]);
    expect(surpriseColor(6)).toEqual(surpriseColor(60));
  });

  it("formats CSS colors", () => {
    expect(css([255, 0, 16])).toBe("#ff0010");
    expect(cssRgb([1, 2, 3])).toBe("rgb(1, 2, 3)");
    expect(gradientCss((t) => sequentialColor(t), 2)).toBe("linear-gradient(to right, #ffffff 0.0%, #a1c2fa 50.0%, #4285f4 100.0%)");
  });
});
