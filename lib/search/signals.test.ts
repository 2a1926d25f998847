import { describe, expect, it } from "vitest";
import { computeSignal, SIGNAL_NAMES, signalFits } from "./signals.ts";
import { regexSignal, RegexError } from "./regex.ts";

const on = (text: string, name: string, context = "") =>
  Array.from(computeSignal(name, Array.from(context), Array.from(text)).values).join("");

describe("built-in signals", () => {
  it("inside_quotes: the state after each character, reset by a blank line", () => {
    expect(on('a "bc" d', "inside_quotes")).toBe("00111000");
    expect(on('"a\n\nb', "inside_quotes")).toBe("11100");
    // Context before the range decides the state at its first character.
    expect(on("x\" y", "inside_quotes", '"a')).toBe("1000");
  });
  it("line position signals", () => {
    expect(on("ab\ncd", "chars_since_newline")).toBe("12012");
    expect(on("ab\ncd", "chars_until_newline")).toBe("21021");
    const f = computeSignal("line_fraction", [], Array.from("abc\n")).values;
    expect(Array.from(f).map((x) => +x.toFixed(2))).toEqual([0.25, 0.5, 0.75, 0]);
  });
  it("paragraph_start: the blank line's newline and the next two characters, not a single line break", () => {
    expect(on("ab\n\ncde\nfg", "paragraph_start")).toBe("0001110000");
    expect(on("\nxyz", "paragraph_start", "z\n")).toBe("1110");
  });
  it("caption signals mark whole words of the grammar, and nothing that only looks like one", () => {
    const caption = "a large red circle left of two blue squares\nreddish leftover";
    /** The expected series, built from where each part first occurs (searching on from the previous part). */
    const parts = (...ps: string[]) => {
      const out = Array.from(caption, () => "0");
      let from = 0;
      for (const p of ps) {
        const i = caption.indexOf(p, from);
        out.fill("1", i, i + p.length);
        from = i + p.length;
      }
      return out.join("");
    };
    expect(on(caption, "color_word")).toBe(parts("red", "blue"));
    expect(on(caption, "shape_word")).toBe(parts("circle", "squares"));
    expect(on(caption, "size_word")).toBe(parts("large"));
    // "left of" is one relation, the space between its words included; "leftover" is not one.
    expect(on(caption, "relation_word")).toBe(parts("left of"));
    expect(on(caption, "after_relation")).toBe(parts("left of two blue squares"));
  });
  it("shapes_named counts a caption's shapes from each shape word's first character, per line", () => {
    // "a circle and a square": "circle" starts at 2, "square" at 15; the newline resets.
    expect(on("a circle and a square\nsquares", "shapes_named")).toBe("00" + "1".repeat(13) + "2".repeat(6) + "0" + "1".repeat(7));
    // Context before the range carries the count into it.
    expect(on(" triangle", "shapes_named", "a circle,")).toBe("1" + "2".repeat(8));
  });
  it("brace_depth and paren_depth never go below zero", () => {
    expect(on("}{a{b}}", "brace_depth")).toBe("0112210");
    expect(on("f(g(x))", "paren_depth")).toBe("0112210");
  });
  it("C comments and strings, without confusing one for the other", () => {
    const code = 'x /* c */ "s/*" // t\ny';
    expect(on(code, "inside_comment")).toBe("0011111110000000111100");
    expect(on(code, "inside_string")).toBe("0000000000111100000000");
    expect(on(code, "inside_comment_or_string")).toBe("0011111110111100111100");
  });
  it("inside_if_condition covers the if's parentheses, nested ones included, not other calls", () => {
    const code = "if (a(b)) f(c); elif (d)";
    expect(on(code, "inside_if_condition")).toBe("000111110000000000000000");
  });
  it("LaTeX math and environments", () => {
    expect(on("a $x$ b $$y$$ c", "inside_math")).toBe("001100001111000");
    expect(on("\\begin{a}\\begin{b}x\\end{b}", "env_depth")).toBe("00000011111111122222222111");
  });
  it("character classes", () => {
    expect(on("aB1 .", "is_upper")).toBe("01000");
    expect(on("aB1 .", "is_digit")).toBe("00100");
    expect(on("aB1 .", "is_punct")).toBe("00001");
    expect(SIGNAL_NAMES).toContain("env_depth");
  });

  it("fit the kind of text they were made for, any text, or a corpus of unknown kind", () => {
    expect(signalFits("brace_depth", "linux")).toBe(true);
    expect(signalFits("brace_depth", "warpeace")).toBe(false);
    expect(signalFits("inside_if_condition", "latex")).toBe(false);
    expect(signalFits("inside_quotes", "warpeace")).toBe(true);
    expect(signalFits("inside_quotes", "shakespeare")).toBe(true);
    expect(signalFits("brace_depth", "shakespeare")).toBe(false);
    expect(signalFits("is_space", "latex")).toBe(true);
    expect(signalFits("brace_depth", "my-own-corpus")).toBe(true);
    expect(signalFits("brace_depth", "constructor")).toBe(true); // not a kind: no prototype lookups
  });
});

describe("regex signals", () => {
  const sig = (p: string, mode: "inside" | "start" | "end" | "after" | "depth", text: string, close?: string) =>
    Array.from(regexSignal(p, mode, Array.from(text), 0, close).values).join("");
  it("modes inside, start, end, after", () => {
    expect(sig("bc", "inside", "abcabc\nx")).toBe("01101100");
    expect(sig("bc", "start", "abcabc")).toBe("010010");
    expect(sig("bc", "end", "abcabc")).toBe("001001");
    expect(sig("//", "after", "a // b\nc")).toBe("00011100");
  });
  it("depth mode counts opens minus closes", () => {
    expect(sig("\\{", "depth", "{a{b}c}", "\\}")).toBe("1122110");
  });
  it("runs a catastrophic pattern in linear time", () => {
    const text = "a".repeat(100_000) + "!";
    const t0 = performance.now();
    const r = regexSignal("(a+)+$", "inside", Array.from(text), 0);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(r.matches.length).toBe(0);
  });
  it("explains an invalid pattern", () => {
    expect(() => regexSignal("(ab", "inside", ["a"], 0)).toThrow(RegexError);
    expect(() => regexSignal("(ab", "inside", ["a"], 0)).toThrow(/invalid pattern: missing closing \)/);
    expect(() => regexSignal("x".repeat(501), "inside", ["a"], 0)).toThrow(/limit is 500/);
  });
});
