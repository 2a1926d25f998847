/**
 * Regular-expression signals, run by re2js (a port of RE2): matching takes
 * time linear in the text whatever the pattern, so `(a+)+$` cannot hang the
 * server the way it hangs JavaScript's backtracking RegExp. Linear, but times
 * the compiled pattern's size: searches therefore match in a worker thread
 * with a time limit (regex-runner.ts); `regexSignal` here runs in place.
 */
import { RE2JS } from "re2js";
import { findMatchOffsets } from "./regex-find.mjs";
import { MAX_PATTERN_CHARS } from "../api/limits.ts";
import { InputError } from "../api/errors.ts";
import type { Signal } from "./signals.ts";

export const REGEX_MODES = ["inside", "start", "end", "after", "depth"] as const;
export type RegexMode = (typeof REGEX_MODES)[number];
/** The pattern length limit (lib/api/limits.ts), under its older name. */
export const MAX_PATTERN_LENGTH = MAX_PATTERN_CHARS;

/** A pattern the user must change (HTTP 400): invalid, too long, or too slow ("pattern_too_slow"). */
/** A pattern the engine refuses: bad input (400), with its own code. */
export class RegexError extends InputError {
  override name = "RegexError";
  constructor(message: string, code: string = "invalid_pattern") {
    super(message, code);
  }
}

export function compileRegex(pattern: string): RE2JS {
  if (pattern.length === 0) throw new RegexError("the pattern is empty");
  if (pattern.length > MAX_PATTERN_LENGTH) throw new RegexError(`the pattern is ${pattern.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`);
  try {
    return RE2JS.compile(pattern, RE2JS.MULTILINE);
  } catch (e) {
    const msg = (e as Error).message.replace(/^error parsing regexp: /, "").replace("`(?m)", "`");
    throw new RegexError(`invalid pattern: ${msg}`);
  }
}

/** [start, end) of every non-empty match, in code-point offsets. */
export function findMatches(re: RE2JS, text: string, cpIndex: (u16: number) => number): [number, number][] {
  return toCodePointSpans(findMatchOffsets(re, text), cpIndex);
}

/** Flat UTF-16 [s0, e0, s1, e1, …] (regex-find.mjs) → [start, end) code-point spans. */
export function toCodePointSpans(offsets: Int32Array, cpIndex: (u16: number) => number): [number, number][] {
  const out: [number, number][] = new Array(offsets.length / 2);
  for (let i = 0; i < offsets.length; i += 2) out[i / 2] = [cpIndex(offsets[i]), cpIndex(offsets[i + 1])];
  return out;
}

/** Maps UTF-16 offsets to code-point offsets (the identity for text without astral characters). */
export function codePointIndexer(text: string): (u16: number) => number {
  if (!/[\uD800-\uDBFF]/.test(text)) return (i) => i;
  const map = new Int32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    map[i] = cp;
    const c = text.charCodeAt(i);
    if (!(c >= 0xd800 && c <= 0xdbff)) cp++;
  }
  map[text.length] = cp;
  return (i) => map[i];
}

export interface RegexSignal extends Signal {
  /** Matches of the main pattern that end inside the range, [start, end) relative to `from`. */
  matches: [number, number][];
}

/**
 * The per-character signal of a pattern over chars[from..], matching over the
 * whole array so matches that began in the context count.
 *   inside: 1 on characters inside a match; start/end: 1 on its first/last
 *   character; after: 1 from a match's end to the end of its line;
 *   depth: matches of `pattern` minus matches of `close` so far (not below 0).
 * `joined` is chars.join("") when the caller has it already.
 */
export function regexSignal(pattern: string, mode: RegexMode, chars: readonly string[], from: number, close?: string, joined?: string): RegexSignal {
  const re = compileRegex(pattern);
  if (mode === "depth" && !close) throw new RegexError("depth mode needs a closing pattern (close)");
  const text = joined ?? chars.join("");
  const cp = codePointIndexer(text);
  const matches = findMatches(re, text, cp);
  const closes = mode === "depth" ? findMatches(compileRegex(close!), text, cp) : [];
  return signalFromMatches(matches, closes, mode, chars, from);
}

/** The signal of `mode` from the matches (and, for depth, the closing matches) over chars, as regexSignal describes. */
export function signalFromMatches(matches: [number, number][], closes: [number, number][], mode: RegexMode, chars: readonly string[], from: number): RegexSignal {
  const n = chars.length;
  const all = new Float32Array(n);
  if (mode === "depth") {
    // Count each open/close once its match is complete (at its last character).
    const delta = new Int32Array(n + 1);
    for (const [, e] of matches) delta[e - 1]++;
    for (const [, e] of closes) delta[e - 1]--;
    let d = 0;
    for (let i = 0; i < n; i++) {
      d = Math.max(0, d + delta[i]);
      all[i] = d;
    }
  } else {
    for (const [s, e] of matches) {
      if (mode === "inside") all.fill(1, s, e);
      else if (mode === "start") all[s] = 1;
      else if (mode === "end") all[e - 1] = 1;
      else {
        let i = e - 1;
        while (i < n && (i === e - 1 || chars[i] !== "\n")) all[i++] = 1;
      }
    }
  }
  return {
    values: all.slice(from),
    binary: mode !== "depth",
    matches: matches.filter(([, e]) => e > from).map(([s, e]) => [Math.max(0, s - from), e - from]),
  };
}
