/**
 * The signal a search page offers first for a model: the first built-in signal
 * made for its corpus's kind of text (inside quotes for prose, brace depth for
 * code, inside math for LaTeX), or, for a corpus of unknown kind, the first
 * signal made for any text.
 */
import { SIGNALS, signalFits } from "./signals.ts";

export function defaultSignal(corpus: string): string {
  const made = SIGNALS.filter((s) => s.for !== "any");
  // A corpus of no known kind fits every signal (signalFits); none of them is its own.
  const known = made.some((s) => !signalFits(s.name, corpus));
  const own = known ? made.find((s) => signalFits(s.name, corpus)) : undefined;
  return (own ?? SIGNALS.find((s) => s.for === "any") ?? SIGNALS[0]).name;
}
