/**
 * A search query, as the CLI, the API and the URLs spell it, validated once
 * here: either a built-in signal or a regular expression with a mode.
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

export const SearchQuery = z.union([
  z.object({
    signal: z.enum(SIGNAL_NAMES as [string, ...string[]], { message: `unknown signal (known: ${SIGNAL_NAMES.join(", ")})` }),
    limit: Limit,
    sort: Sort,
  }),
  z.object({
    regex: z.string().min(1, "the pattern is empty").max(MAX_PATTERN_CHARS, `the pattern is longer than ${MAX_PATTERN_CHARS} characters`),
    mode: z.enum(REGEX_MODES, { message: `mode must be one of ${REGEX_MODES.join(", ")}` }).default("inside"),
    close: z.string().max(MAX_PATTERN_CHARS, `the closing pattern is longer than ${MAX_PATTERN_CHARS} characters`).optional(),
    limit: Limit,
    sort: Sort,
  }),
]);
export type SearchQuery = z.infer<typeof SearchQuery>;
