/**
 * Catastrophic patterns over the longest recording Cellscope ships for: the
 * test split of its largest corpus (about 320,000 characters). Nested
 * quantifiers finish quickly (re2js never backtracks); patterns that are slow
 * for re2js (long counted repeats) are stopped at the time limit, and the
 * server thread is never the one waiting.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { splitRange } from "../corpus/corpus.ts";
import { REGEX_TIME_LIMIT_MS } from "../api/limits.ts";
import { RegexError, regexSignal } from "./regex.ts";
import { matchWithTimeLimit, regexSignalWithin } from "./regex-runner.ts";

const corpora = path.resolve(import.meta.dirname, "../../corpora");
const longest = readdirSync(corpora)
  .filter((f) => f.endsWith(".txt"))
  .map((f) => {
    const chars = Array.from(readFileSync(path.join(corpora, f), "utf8"));
    const { start, end } = splitRange(chars.length, "test");
    return chars.slice(start, end);
  })
  .sort((a, b) => b.length - a.length)[0];

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e) => e,
  );
}

describe("regex matching under a time limit", () => {
  it("runs over the longest shipped recording", () => {
    expect(longest.length).toBeGreaterThan(300_000);
  });

  it("finishes catastrophic-backtracking patterns well inside the limit, with the same matches as matching in place", async () => {
    const text = longest.join("");
    for (const p of ["(a+)+$", "(x+x+)+y", "((a|aa)+)+b", "(\\w+\\s?)*$", "(.*)*x", "^(([a-z])+.)+[A-Z]([a-z])+$"]) {
      const t0 = performance.now();
      const s = await regexSignalWithin(p, "inside", longest, 0, { joined: text });
      // Bounded: it returned, without being stopped at the limit.
      expect(performance.now() - t0, p).toBeLessThan(REGEX_TIME_LIMIT_MS);
      expect(s.matches, p).toEqual(regexSignal(p, "inside", longest, 0, undefined, text).matches);
    }
  });

  it("stops a pattern that is slow for re2js at the limit, says why, and serves the next search", async () => {
    const text = longest.join("");
    const t0 = performance.now();
    const err = await rejection(regexSignalWithin("[\\s\\S]{1000}[\\s\\S]{1000}e", "inside", longest, 0, { joined: text, limitMs: 300 }));
    const took = performance.now() - t0;
    expect(err).toBeInstanceOf(RegexError);
    expect(err).toMatchObject({ code: "pattern_too_slow" });
    expect((err as Error).message).toMatch(/^the pattern took longer than 0\.3 s to match over this recording's [\d,]+ characters and was stopped: simplify it/);
    // Stopped at the limit (plus a worker's start-up on a busy machine), not after the tens of seconds the match needs.
    expect(took).toBeLessThan(3_000);
    const after = await regexSignalWithin("Q", "inside", longest, 0, { joined: text });
    expect(after.matches.length).toBeGreaterThan(0);
  });

  it("runs jobs one at a time: a slow one does not take a quick one down with it", async () => {
    const slow = matchWithTimeLimit(["[\\s\\S]{1000}[\\s\\S]{1000}e"], longest.join(""), 200);
    const quick = matchWithTimeLimit(["b+"], "abbcb");
    expect(await rejection(slow)).toMatchObject({ code: "pattern_too_slow" });
    expect(Array.from((await quick)[0])).toEqual([1, 3, 4, 5]);
  });

  it("refuses invalid and over-long patterns before matching, and depth mode without a closing pattern", async () => {
    expect(await rejection(regexSignalWithin("(ab", "inside", ["a"], 0))).toMatchObject({ code: "invalid_pattern", message: expect.stringContaining("missing closing )") });
    expect(await rejection(regexSignalWithin("a{1001}", "inside", ["a"], 0))).toMatchObject({ code: "invalid_pattern", message: expect.stringContaining("invalid repeat count") });
    expect(await rejection(regexSignalWithin("x".repeat(501), "inside", ["a"], 0))).toMatchObject({ message: expect.stringContaining("the limit is 500") });
    expect(await rejection(regexSignalWithin("\\(", "depth", ["a"], 0))).toMatchObject({ message: expect.stringContaining("close") });
    expect(await rejection(regexSignalWithin("\\(", "depth", ["a"], 0, { close: "[" }))).toMatchObject({ code: "invalid_pattern" });
  });

  it("gives depth and code-point offsets as matching in place does", async () => {
    const chars = Array.from("f(a(b)c) 😀(x) (");
    const a = await regexSignalWithin("\\(", "depth", chars, 0, { close: "\\)" });
    const b = regexSignal("\\(", "depth", chars, 0, "\\)");
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    expect((await regexSignalWithin("x", "inside", chars, 0)).matches).toEqual([[11, 12]]);
  });
});
