import { describe, expect, it } from "vitest";
import { describeContexts, describeUnit } from "./describe-unit.ts";

const text = Array.from('He said "no." She said "yes." They said "maybe." And then "never."  \n\nThe end');
const closing = text.flatMap((c, i) => (c === '"' && text[i - 1] === "." ? [i] : []));
const spaces = text.flatMap((c, i) => (c === " " ? [i] : []));

describe("a unit described in words", () => {
  it("names the longest context that most peaks share, else their kind of character", () => {
    expect(closing).toHaveLength(4);
    // Every closing quote follows a full stop; the character before that differs.
    expect(describeContexts([...closing, ...closing], text)).toBe("on “\"” after “.”");
    expect(describeContexts(spaces, text)).toBe("on “ ”");
    // Mixed upper-case letters: no one context, but all capitals, which are rare in the text.
    const names = Array.from("Ab cd Ef gh Ij kl Mn op Qr st Uv");
    const capitals = names.flatMap((c, i) => (/[A-Z]/.test(c) ? [i] : []));
    expect(capitals).toHaveLength(6);
    expect(describeContexts(capitals, names)).toBe("on upper-case letters");
    // All letters, but letters are most of the text: that says nothing.
    expect(describeContexts(text.flatMap((c, i) => (/[a-z]/.test(c) ? [i] : [])).slice(0, 20), text)).toBeNull();
    expect(describeContexts([0, 1], text)).toBeNull();
  });

  it("leads with the strongest signals, their direction in words, then the contexts", () => {
    const d = describeUnit({
      top: spaces,
      bottom: [...closing, ...closing],
      chars: text,
      scores: [
        { signal: "inside_quotes", r: -0.8, auc: 0.06 },
        // Strong, but not made for this kind of text: left out.
        { signal: "inside_comment", r: -0.6, auc: 0.2 },
        { signal: "chars_since_newline", r: 0.35, auc: null },
        { signal: "is_space", r: 0.1, auc: 0.6 },
      ],
      constant: false,
      mean: 0,
      fits: (signal) => signal !== "inside_comment",
    });
    expect(d).toBe('low inside double quotes "…" (r −0.80); rises with the characters since the last newline (the column) (r +0.35); high on “ ”; low on “"” after “.”');
  });

  it("says a constant unit is constant, and nothing when nothing stands out", () => {
    const fits = () => true;
    expect(describeUnit({ top: [], bottom: [], chars: text, scores: [], constant: true, mean: -0.999, fits })).toBe("constant at −1.00");
    expect(describeUnit({ top: [0, 9, 20], bottom: [], chars: text, scores: [{ signal: "is_space", r: 0.1, auc: 0.55 }], constant: false, mean: 0, fits })).toBeNull();
    // The same words at both ends say nothing.
    expect(describeUnit({ top: spaces, bottom: spaces, chars: text, scores: [], constant: false, mean: 0, fits })).toBeNull();
  });
});
