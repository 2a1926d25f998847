/**
 * BLEU-4 against NLTK's corpus_bleu on twelve corpora of scene captions (some
 * edited: words dropped, swapped, repeated), computed by scripts/bleu_reference.py
 * into fixtures/bleu-cases.json (its header says how to make them again).
 */
import { describe, expect, it } from "vitest";
import cases from "./fixtures/bleu-cases.json" with { type: "json" };
import { corpusBleu } from "./bleu.ts";

describe("corpus BLEU-4", () => {
  it("matches NLTK's corpus_bleu", () => {
    expect(cases.cases.length).toBe(12);
    for (const c of cases.cases) expect(corpusBleu(c.candidates, c.references)).toBeCloseTo(c.nltk, 10);
  });
  it("is 1 for a candidate equal to a reference, 0 with no shared 4-gram, and penalizes brevity", () => {
    const ref = ["a", "large", "red", "circle", "above", "a", "small", "blue", "square"];
    expect(corpusBleu([ref], [[ref]])).toBe(1);
    expect(corpusBleu([["two", "green", "triangles"]], [[ref]])).toBe(0);
    const short = ref.slice(0, 6);
    expect(corpusBleu([short], [[ref]])).toBeCloseTo(Math.exp(1 - 9 / 6), 12);
    expect(() => corpusBleu([ref], [])).toThrow(/reference sets/);
  });
});
