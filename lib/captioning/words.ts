/**
 * The captioner's words: every token the scene grammar writes (scenes.ts),
 * plus <end>, which ends a caption (and pads a batch after it), and <start>,
 * which the decoder reads first. Token ids index the decoder's one-hot input
 * and its softmax, as characters do for a char model.
 */
import { COLORS, RELATIONS, SHAPES, SIZES } from "./scenes.ts";

export const END = "<end>";
export const START = "<start>";

/** id → word. <end> is 0, so a zero-filled batch is padded with it. */
export const WORDS: readonly string[] = [
  END,
  START,
  ...new Set([
    "a",
    "two",
    "three",
    "and",
    ",",
    ...SIZES,
    ...COLORS,
    ...SHAPES,
    ...SHAPES.map((s) => `${s}s`),
    ...RELATIONS.flatMap((r) => r.split(" ")),
  ]),
];

const ID = new Map(WORDS.map((w, i) => [w, i]));

/** "a red circle, a blue square" → ["a", "red", "circle", ",", "a", "blue", "square"]. */
export function tokenize(caption: string): string[] {
  return caption.replace(/,/g, " , ").trim().split(/\s+/).filter(Boolean);
}

/** Tokens back to a caption: spaces between words, none before a comma. */
export function detokenize(tokens: readonly string[]): string {
  return tokens.join(" ").replace(/ ,/g, ",");
}

/** A caption's word ids; throws on a word outside the grammar. */
export function wordIds(caption: string): number[] {
  return tokenize(caption).map((w) => {
    const id = ID.get(w);
    if (id === undefined) throw new Error(`"${w}" is not a word of the scene grammar (${caption})`);
    return id;
  });
}
