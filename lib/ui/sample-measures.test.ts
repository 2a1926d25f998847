import { describe, expect, it } from "vitest";
import { measureText } from "./sample-measures.ts";

describe("measures of sampled text", () => {
  it("counts quote marks, the characters between them, newlines and unbalanced braces", () => {
    // 20 characters: 2 quote marks, 5 characters inside them, 2 newlines, one { left open.
    const m = measureText('ab "hello" c\n{ {x}\nd');
    expect(m.chars).toBe(20);
    expect(m.quotesPer1000).toBe(100);
    expect(m.insideQuotes).toBeCloseTo(5 / 20, 10);
    expect(m.newlinesPer1000).toBe(100);
    expect(m.braceBalance).toBe(1);
  });

  it("is all zeros for empty text, and an unclosed quote counts to the end", () => {
    expect(measureText("")).toEqual({ chars: 0, quotesPer1000: 0, insideQuotes: 0, newlinesPer1000: 0, braceBalance: 0 });
    expect(measureText('x "abc').insideQuotes).toBeCloseTo(3 / 6, 10);
  });
});
