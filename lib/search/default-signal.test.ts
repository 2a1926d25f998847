import { describe, expect, it } from "vitest";
import { defaultSignal } from "./default-signal.ts";
import { getSignal, signalFits } from "./signals.ts";

describe("defaultSignal", () => {
  it("offers a signal made for the corpus's own kind of text", () => {
    for (const [corpus, kind] of [["warpeace", "prose"], ["shakespeare", "prose"], ["linux", "code"], ["latex", "latex"]] as const) {
      const s = defaultSignal(corpus);
      expect(getSignal(s).for, corpus).toBe(kind);
      expect(signalFits(s, corpus)).toBe(true);
    }
    expect(defaultSignal("linux")).not.toBe(defaultSignal("warpeace"));
  });

  it("offers a signal for any text when the corpus's kind is unknown", () => {
    expect(getSignal(defaultSignal("my-own-notes")).for).toBe("any");
  });
});
