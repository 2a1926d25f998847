import { describe, expect, it } from "vitest";
import { layoutRows, rowOf } from "./text-layout.ts";

const rows = (text: string, cols: number) => {
  const chars = Array.from(text);
  const starts = Array.from(layoutRows(chars, cols));
  return starts.map((s, r) => chars.slice(s, starts[r + 1] ?? chars.length).join(""));
};

describe("text layout", () => {
  it("wraps at the last space that fits, keeps newlines at the end of their row", () => {
    expect(rows("hello world", 8)).toEqual(["hello ", "world"]);
    expect(rows("ab\ncd\n\nef", 10)).toEqual(["ab\n", "cd\n", "\n", "ef"]);
    expect(rows("ab\n", 10)).toEqual(["ab\n"]);
    expect(rows("", 10)).toEqual([""]);
  });

  it("breaks words wider than a row mid-word, carrying a partial word over whole when it fits", () => {
    expect(rows("abcdefghijklmnopqrst", 8)).toEqual(["abcdefgh", "ijklmnop", "qrst"]);
    expect(rows("a bcdefghijk", 8)).toEqual(["a ", "bcdefghi", "jk"]);
    // Rows are at least a tab wide.
    expect(rows("abcdefghij", 4)).toEqual(["abcdefgh", "ij"]);
  });

  it("lets a space or newline that exactly fills a row hang past its edge", () => {
    expect(rows("abcdefgh ijk", 8)).toEqual(["abcdefgh ", "ijk"]);
    expect(rows("abcdefgh\nef", 8)).toEqual(["abcdefgh\n", "ef"]);
    expect(rows("abcdefgh \nef", 8)).toEqual(["abcdefgh \n", "ef"]);
  });

  it("expands tabs to the next tab stop from the row's start", () => {
    expect(rows("\tab", 10)).toEqual(["\tab"]); // 8 + 2 columns
    expect(rows("\tabc", 10)).toEqual(["\t", "abc"]);
    expect(rows("a\tb\tc", 16)).toEqual(["a\tb\t", "c"]);
  });

  it("never lets a row exceed its width (but for one hanging space or newline), over a long real-looking text", () => {
    const line = "The quick brown fox\tjumps over the lazy dog; supercalifragilisticexpialidocious!\n";
    const chars = Array.from(line.repeat(200) + "x".repeat(500));
    for (const cols of [8, 9, 13, 40, 95]) {
      const starts = layoutRows(chars, cols);
      expect(starts[0]).toBe(0);
      for (let r = 0; r < starts.length; r++) {
        const end = starts[r + 1] ?? chars.length;
        expect(end).toBeGreaterThan(starts[r]);
        let col = 0;
        for (let o = starts[r]; o < end; o++) col += chars[o] === "\t" ? 8 - (col % 8) : 1;
        const hang = chars[end - 1] === "\n" || chars[end - 1] === " " ? 1 : 0;
        expect(col).toBeLessThanOrEqual(cols + hang);
      }
    }
  });

  it("finds the row of an offset", () => {
    const starts = layoutRows(Array.from("ab\ncd\nef"), 10); // [0, 3, 6]
    expect([0, 2, 3, 5, 6, 7].map((o) => rowOf(starts, o))).toEqual([0, 0, 1, 1, 2, 2]);
  });
});
