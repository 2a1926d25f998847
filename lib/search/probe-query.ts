/**
 * A probe query, as the CLI, the API and the search page spell it: a built-in
 * signal or a regular expression with its mode, the same fields and messages
 * as a search (query.ts), over the whole recording (a probe splits it itself).
 */
import { z } from "zod";
import { RegexFields, SignalFields } from "./query.ts";

export const ProbeQuery = z.union([z.object(SignalFields), z.object(RegexFields)]);
export type ProbeQuery = z.infer<typeof ProbeQuery>;
