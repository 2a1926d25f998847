/**
 * A search query, as the CLI, the API and the URLs spell it, validated once
 * here: either a built-in signal or a regular expression with a mode.
 */
import { z } from "zod";
import { MAX_PATTERN_LENGTH, REGEX_MODES } from "./regex.ts";
import { SIGNAL_NAMES } from "./signals.ts";

export const SearchQuery = z.union([
  z.object({
    signal: z.enum(SIGNAL_NAMES as [string, ...string[]], { message: `unknown signal (known: ${SIGNAL_NAMES.join(", ")})` }),
    limit: z.coerce.number().int().min(1).max(5000).default(50),
    sort: z.enum(["r", "auc"]).default("r"),
  }),
  z.object({
    regex: z.string().min(1, "the pattern is empty").max(MAX_PATTERN_LENGTH, `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`),
    mode: z.enum(REGEX_MODES, { message: `mode must be one of ${REGEX_MODES.join(", ")}` }).default("inside"),
    close: z.string().max(MAX_PATTERN_LENGTH).optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(50),
    sort: z.enum(["r", "auc"]).default("r"),
  }),
]);
export type SearchQuery = z.infer<typeof SearchQuery>;
