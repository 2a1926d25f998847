/**
 * A short description of a unit in words, made from what set-up stored, so
 * every unit reads as something before anyone labels it:
 *
 *   - its strongest built-in signals made for its corpus's kind of text
 *     (|r| ≥ 0.3), with the direction: "low inside double quotes (r −0.80)";
 *   - what the text looks like at its 50 highest and 50 lowest values: the
 *     longest context (up to 2 characters before) ending at the character
 *     that at least 40% of them share: high on “"” after “.”; else the kind of
 *     character at least 60% of them are, when that is 1.5 times as common as
 *     in the text: high on spaces. The same words for both ends say nothing,
 *     and are left out.
 *
 * Deterministic, and cheap (the unit's row, its signal scores and the text).
 * A user's label comes first wherever a description is shown.
 */
import { SIGNALS } from "../search/signals.ts";
import { showChar } from "../ui/text-html.ts";

/** |r| from which a signal is worth naming (lib/search/strength.ts calls 0.3 a weak but real detector). */
const MIN_R = 0.3;
/** Share of the peaks one context must cover to be named. */
const MIN_SHARE = 0.4;
/** Share of the peaks one kind of character must cover to be named. */
const MIN_CLASS_SHARE = 0.6;

export interface DescribeInput {
  /** Offsets of the highest and lowest values (set-up keeps 50 of each). */
  top: number[];
  bottom: number[];
  /** The recording's text, as code points. */
  chars: readonly string[];
  scores: { signal: string; r: number | null; auc: number | null }[];
  /** Whether a signal was made for this corpus's kind of text (lib/search/signals.ts signalFits). */
  fits: (signal: string) => boolean;
  constant: boolean;
  mean: number;
}

const CLASSES: [string, (c: string) => boolean][] = [
  ["newlines", (c) => c === "\n"],
  ["spaces", (c) => c === " " || c === "\t"],
  ["upper-case letters", (c) => /\p{Lu}/u.test(c)],
  ["digits", (c) => /\p{Nd}/u.test(c)],
  ["letters", (c) => /\p{L}/u.test(c)],
  ["punctuation", (c) => /[\p{P}\p{S}]/u.test(c)],
];

const q = (s: string) => `“${Array.from(s).map(showChar).join("")}”`;

/** What the text looks like at a set of offsets: "on “"” after “.”", "on spaces", or null. */
export function describeContexts(offsets: number[], chars: readonly string[]): string | null {
  const at = offsets.filter((o) => o >= 0 && o < chars.length);
  if (at.length < 5) return null;
  let best: string | null = null;
  for (let n = 1; n <= 3; n++) {
    const counts = new Map<string, number>();
    for (const o of at) if (o - n + 1 >= 0) counts.set(chars.slice(o - n + 1, o + 1).join(""), (counts.get(chars.slice(o - n + 1, o + 1).join("")) ?? 0) + 1);
    const [gram, k] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? ["", 0];
    if (k / at.length < MIN_SHARE) break;
    best = gram;
  }
  if (best !== null) {
    const g = Array.from(best);
    return g.length === 1 ? `on ${q(g[0])}` : `on ${q(g[g.length - 1])} after ${q(g.slice(0, -1).join(""))}`;
  }
  for (const [name, test] of CLASSES) {
    const share = at.filter((o) => test(chars[o])).length / at.length;
    if (share >= MIN_CLASS_SHARE && share >= 1.5 * baseRate(chars, name, test)) return `on ${name}`;
  }
  return null;
}

const baseRates = new WeakMap<readonly string[], Map<string, number>>();

/** The share of the text's characters in a class (sampled: every 7th character), per text. */
function baseRate(chars: readonly string[], name: string, test: (c: string) => boolean): number {
  let m = baseRates.get(chars);
  if (!m) baseRates.set(chars, (m = new Map()));
  let r = m.get(name);
  if (r === undefined) {
    let k = 0, n = 0;
    for (let i = 0; i < chars.length; i += 7) (n++, test(chars[i]) && k++);
    m.set(name, (r = n ? k / n : 0));
  }
  return r;
}

/** "low inside double quotes (r −0.80); high on “"” after “.”; low on spaces", or null when nothing stands out. */
export function describeUnit(u: DescribeInput): string | null {
  if (u.constant) return `constant at ${u.mean >= 0 ? "+" : "−"}${Math.abs(u.mean).toFixed(2)}`;
  const parts: string[] = [];
  const strong = u.scores
    .filter((s) => s.r !== null && Math.abs(s.r) >= MIN_R && u.fits(s.signal))
    .sort((a, b) => Math.abs(b.r!) - Math.abs(a.r!))
    .slice(0, 2);
  for (const s of strong) {
    const info = SIGNALS.find((x) => x.name === s.signal);
    const what = info?.description ?? s.signal;
    const r = `(r ${s.r! >= 0 ? "+" : "−"}${Math.abs(s.r!).toFixed(2)})`;
    // On/off signals: "low inside double quotes", "high on a blank line …"; graded ones: "rises with the nesting depth …".
    if (info?.binary) parts.push(`${s.r! >= 0 ? "high" : "low"} ${/^(inside|after|before|at|on) /.test(what) ? what : `on ${what}`} ${r}`);
    else parts.push(`${s.r! >= 0 ? "rises" : "falls"} with the ${what} ${r}`);
  }
  const hi = describeContexts(u.top, u.chars);
  const lo = describeContexts(u.bottom, u.chars);
  if (hi && hi !== lo) parts.push(`high ${hi}`);
  if (lo && lo !== hi) parts.push(`low ${lo}`);
  return parts.length ? parts.join("; ") : null;
}
