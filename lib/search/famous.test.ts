import { describe, expect, it } from "vitest";
import { groupFamousDetectors, isFamousDetector, pickFamousFive } from "./famous.ts";
import { FAMOUS_SIGNALS, SIGNAL_NAMES } from "./signals.ts";

// Set-up's detectors of the shipped models, as the README lists them, plus the
// weak and any-text ones the gallery keeps behind "all signals".
const corpusOf = new Map([
  ["latex-2x256", "latex"],
  ["linux-2x256", "linux"],
  ["warpeace-2x256", "warpeace"],
]);
const d = (model: string, signal: string, unit: string, r: number, auc: number | null = null) => ({ model, signal, unit, r, auc });
const DETECTORS = [
  d("latex-2x256", "inside_math", "c:0:137", -0.875, 0.028),
  d("latex-2x256", "is_digit", "c:1:9", 0.21, 0.7),
  d("latex-2x256", "inside_if_condition", "c:1:3", 0.6, 0.9), // a code signal on LaTeX: not famous here
  d("linux-2x256", "brace_depth", "c:1:136", 0.947),
  d("linux-2x256", "inside_comment", "c:1:86", -0.927, 0.008),
  d("linux-2x256", "inside_if_condition", "c:1:25", -0.448, 0.076),
  d("linux-2x256", "chars_since_newline", "c:1:25", -0.562),
  d("linux-2x256", "is_space", "h:1:2", 0.9, 0.99),
  d("warpeace-2x256", "chars_since_newline", "c:0:122", -0.125), // weak
  d("warpeace-2x256", "paragraph_start", "c:1:183", 0.659, 0.996),
  d("warpeace-2x256", "inside_quotes", "c:1:40", -0.804, 0.056),
  d("warpeace-2x256", "brace_depth", "c:0:1", 0.05), // a code signal in prose
];

describe("famous detectors", () => {
  it("are built-in signals", () => {
    for (const s of FAMOUS_SIGNALS) expect(SIGNAL_NAMES).toContain(s);
  });

  it("are a famous signal made for the model's text, tracked clearly", () => {
    const famous = DETECTORS.filter((x) => isFamousDetector(x, corpusOf)).map((x) => `${x.model}/${x.signal}`);
    expect(famous.sort()).toEqual(
      [
        "latex-2x256/inside_math",
        "linux-2x256/brace_depth",
        "linux-2x256/chars_since_newline",
        "linux-2x256/inside_comment",
        "linux-2x256/inside_if_condition",
        "warpeace-2x256/inside_quotes",
        "warpeace-2x256/paragraph_start",
      ].sort(),
    );
  });

  it("lead the home page by model, the quote cell's model first, each model's strongest first", () => {
    const groups = groupFamousDetectors(DETECTORS, corpusOf);
    expect(groups.map((g) => g.model)).toEqual(["warpeace-2x256", "linux-2x256", "latex-2x256"]);
    expect(groups[0].detectors.map((x) => x.signal)).toEqual(["inside_quotes", "paragraph_start"]);
    expect(groups[1].detectors.map((x) => x.signal)).toEqual(["brace_depth", "inside_comment", "chars_since_newline", "inside_if_condition"]);
    // Any order in, the same order out.
    expect(groupFamousDetectors([...DETECTORS].reverse(), corpusOf)).toEqual(groups);
  });

  it("make the famous five: one unit per famous signal, in the list's order, no unit twice", () => {
    const five = pickFamousFive(DETECTORS, corpusOf);
    expect(five.map((x) => `${x.model} ${x.unit} ${x.signal}`)).toEqual([
      "warpeace-2x256 c:1:40 inside_quotes",
      "linux-2x256 c:1:25 inside_if_condition",
      "linux-2x256 c:1:86 inside_comment",
      "linux-2x256 c:1:136 brace_depth",
      "latex-2x256 c:0:137 inside_math",
    ]);
    // Without the LaTeX model, the column cell would be next, but it is c:1:25 again: the paragraph cell comes in.
    const noLatex = pickFamousFive(
      DETECTORS.filter((x) => x.model !== "latex-2x256"),
      corpusOf,
    );
    expect(noLatex.map((x) => x.signal)).toEqual(["inside_quotes", "inside_if_condition", "inside_comment", "brace_depth", "paragraph_start"]);
    expect(pickFamousFive([DETECTORS[1], DETECTORS[8]], corpusOf)).toEqual([]);
  });
});
