import { describe, expect, it } from "vitest";
import { describeError } from "../api/errors.ts";
import { MAX_LABEL_CHARS, MAX_NOTE_CHARS } from "../api/limits.ts";
import { LabelInput } from "./set-label.ts";

const refusal = (body: unknown) => {
  const r = LabelInput.safeParse(body);
  expect(r.success, JSON.stringify(body)?.slice(0, 80)).toBe(false);
  return describeError(r.error);
};

describe("a label's input", () => {
  it("keeps markup as typed: it is text, rendered as text", () => {
    expect(LabelInput.parse({ label: "<script>alert(1)</script>", note: '<img src=x onerror="alert(1)">' })).toEqual({
      label: "<script>alert(1)</script>",
      note: '<img src=x onerror="alert(1)">',
    });
    expect(LabelInput.parse({ label: "  <p> detector  " })).toEqual({ label: "<p> detector", note: "" });
  });

  it("takes notes of several lines, and labels and notes up to their limits", () => {
    expect(LabelInput.parse({ label: "x".repeat(MAX_LABEL_CHARS), note: "a\r\nb\tc\n".repeat(100) }).label).toHaveLength(MAX_LABEL_CHARS);
    expect(LabelInput.parse({ label: "x", note: "n".repeat(MAX_NOTE_CHARS) }).note).toHaveLength(MAX_NOTE_CHARS);
  });

  it("refuses empty, over-long and control-character labels and notes, saying which", () => {
    expect(refusal({ label: "" })).toMatchObject({ status: 400, message: "label: the label is empty" });
    expect(refusal({ label: "   " })).toMatchObject({ message: "label: the label is empty" });
    expect(refusal({ label: "x".repeat(MAX_LABEL_CHARS + 1) })).toMatchObject({ message: `label: the label is longer than ${MAX_LABEL_CHARS} characters` });
    expect(refusal({ label: "x", note: "n".repeat(MAX_NOTE_CHARS + 1) })).toMatchObject({ message: `note: the note is longer than ${MAX_NOTE_CHARS} characters` });
    expect(refusal({ label: "two\nlines" })).toMatchObject({ message: "label: the label must be one line of text (no control characters)" });
    expect(refusal({ label: "nul\u0000" })).toMatchObject({ message: expect.stringContaining("one line of text") });
    expect(refusal({ label: "x", note: "bell\u0007" })).toMatchObject({ message: expect.stringContaining("control characters") });
  });

  it("refuses bodies that are not an object of strings", () => {
    for (const body of [null, [], "quote", 42, true]) {
      expect(refusal(body)).toMatchObject({ status: 400, message: 'the body must be a JSON object: {"label": "…", "note": "…"}' });
    }
    expect(refusal({})).toMatchObject({ message: "label must be a string" });
    expect(refusal({ label: 5 })).toMatchObject({ message: "label must be a string" });
    expect(refusal({ label: "x", note: { a: 1 } })).toMatchObject({ message: "note must be a string" });
  });
});
