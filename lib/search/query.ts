/**
 * A search query, as the CLI, the API and the URLs spell it, validated once
 * here: either a built-in signal or a regular expression with a mode, over
 * the whole recording or a stretch of it.
 */
import { z } from "zod";
import { MAX_PATTERN_CHARS, MAX_SEARCH_RESULTS } from "../api/limits.ts";
import { REGEX_MODES } from "./regex.ts";
import { SIGNAL_NAMES } from "./signals.ts";

const Limit = z.coerce
  .number({ message: "limit must be a number" })
  .int("limit must be a whole number")
  .min(1, "limit must be at least 1")
  .max(MAX_SEARCH_RESULTS, `limit must be at most ${MAX_SEARCH_RESULTS}`)
  .default(50);
const Sort = z.enum(["r", "auc"], { message: "sort must be r or auc" }).default("r");
const Offset = (name: string, min: number) =>
  z.coerce
    .number({ message: `${name} must be a number` })
    .int(`${name} must be a whole number (a character offset)`)
    .min(min, `${name} must be at least ${min}`)
    .optional();

/**
 * An optional stretch of the recording to rank over, [from, to) in recording
 * offsets (past the end is refused when the recording is known: search.ts).
 * The signal is still computed over the whole text, so "inside a quote" is
 * right at `from`.
 */
const Range = { from: Offset("from", 0), to: Offset("to", 1) };
const rangeOrdered = (q: { from?: number; to?: number }) => q.from === undefined || q.to === undefined || q.from < q.to;
const rangeMessage = { message: "from must be before to", path: ["to"] };

/** What to rank against, shared with the probe query (probe-query.ts): a built-in signal, */
export const SignalFields = {
  signal: z.enum(SIGNAL_NAMES as [string, ...string[]], { message: `unknown signal (known: ${SIGNAL_NAMES.join(", ")})` }),
};
/** or a pattern with its mode. */
export const RegexFields = {
  regex: z.string().min(1, "the pattern is empty").max(MAX_PATTERN_CHARS, `the pattern is longer than ${MAX_PATTERN_CHARS} characters`),
  mode: z.enum(REGEX_MODES, { message: `mode must be one of ${REGEX_MODES.join(", ")}` }).default("inside"),
  close: z.string().max(MAX_PATTERN_CHARS, `the closing pattern is longer than ${MAX_PATTERN_CHARS} characters`).optional(),
};

export const SearchQuery = z.union([
  z.object({
    ...SignalFields,
    limit: Limit,
    sort: Sort,
    ...Range,
  }).refine(rangeOrdered, rangeMessage),
  z.object({
    ...RegexFields,
    limit: Limit,
    sort: Sort,
    ...Range,
  }).refine(rangeOrdered, rangeMessage),
]);
export type SearchQuery = z.infer<typeof SearchQuery>;
