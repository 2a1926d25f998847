/**
 * Built-in signals: per-character series computed from the text alone, to
 * rank cells against. Each value is the state *after reading* that character,
 * which is what a cell's activation at that character can know: the opening
 * quote is inside the quote, the closing one is not.
 */
import { CAPTIONS_CORPUS, COLORS, RELATIONS, SHAPES, SIZES } from "../captioning/scenes.ts";

export interface Signal {
  /** One value per character (code point) of the text. */
  values: Float32Array;
  /** On/off signals also get ROC AUC. */
  binary: boolean;
}

/** The kinds of text a signal can be made for, in the order the signal picker lists them. */
export const SIGNAL_KINDS = ["any", "prose", "code", "latex", "captions"] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export interface SignalInfo {
  name: string;
  binary: boolean;
  description: string;
  /** The corpus kind it was made for (shown as a hint in the UI). */
  for: SignalKind;
  compute: (chars: readonly string[]) => Float32Array;
}

const map = (chars: readonly string[], f: (c: string) => boolean) => Float32Array.from(chars, (c) => (f(c) ? 1 : 0));

function sinceNewline(chars: readonly string[]): Float32Array {
  const out = new Float32Array(chars.length);
  let col = 0;
  for (let i = 0; i < chars.length; i++) {
    col = chars[i] === "\n" ? 0 : col + 1;
    out[i] = col;
  }
  return out;
}

function untilNewline(chars: readonly string[]): Float32Array {
  const out = new Float32Array(chars.length);
  let d = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    d = chars[i] === "\n" ? 0 : d + 1;
    out[i] = d;
  }
  return out;
}

/** Double quotes toggle; a blank line (new paragraph) closes any open quote, as in dialogue spanning paragraphs. */
function insideQuotes(chars: readonly string[]): Float32Array {
  const out = new Float32Array(chars.length);
  let inside = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '"' || c === "\u201c" || c === "\u201d") inside = c === "\u201c" ? true : c === "\u201d" ? false : !inside;
    else if (c === "\n" && chars[i - 1] === "\n") inside = false;
    out[i] = inside ? 1 : 0;
  }
  return out;
}

/**
 * A paragraph has just begun: on at the newline that makes a blank line and
 * the paragraph's first two characters. War and Peace's best "line" cell
 * turned out to track this, not the column (README, "the shipped models").
 */
function paragraphStart(chars: readonly string[]): Float32Array {
  const out = new Float32Array(chars.length);
  let since = Infinity;
  for (let i = 0; i < chars.length; i++) {
    since = chars[i] === "\n" && chars[i - 1] === "\n" ? 0 : since + 1;
    out[i] = since <= 2 ? 1 : 0;
  }
  return out;
}

/** Depth of open − close, never below zero (so starting mid-file corrects itself at the next top level). */
function depth(chars: readonly string[], open: string, close: string): Float32Array {
  const out = new Float32Array(chars.length);
  let d = 0;
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === open) d++;
    else if (chars[i] === close) d = Math.max(0, d - 1);
    out[i] = d;
  }
  return out;
}

type CState = "code" | "line" | "block" | "string" | "char";

/** A small C lexer: which characters are in comments and string literals. */
export function lexC(chars: readonly string[]): { comment: Float32Array; string: Float32Array } {
  const comment = new Float32Array(chars.length);
  const string = new Float32Array(chars.length);
  let s: CState = "code";
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const next = chars[i + 1];
    switch (s) {
      case "code":
        if (c === "/" && next === "*") s = "block";
        else if (c === "/" && next === "/") s = "line";
        else if (c === '"') s = "string";
        else if (c === "'") s = "char";
        break;
      case "line":
        if (c === "\n") s = "code";
        break;
      case "block":
        if (c === "/" && chars[i - 1] === "*" && i >= 2 && comment[i - 2] === 1) {
          comment[i] = 1; // the closing slash still belongs to the comment
          s = "code";
          continue;
        }
        break;
      case "string":
        if (c === "\\") {
          string[i] = 1;
          if (i + 1 < chars.length) string[++i] = 1;
          continue;
        }
        if (c === '"' || c === "\n") {
          s = "code";
          continue;
        }
        break;
      case "char":
        if (c === "\\") {
          i++;
          continue;
        }
        if (c === "'" || c === "\n") s = "code";
        continue;
    }
    if (s === "line" || s === "block") comment[i] = 1;
    if (s === "string") string[i] = 1;
  }
  return { comment, string };
}

/** Inside the parentheses of `if (…)` (outside comments and strings), up to the matching `)`. */
function insideIfCondition(chars: readonly string[]): Float32Array {
  const out = new Float32Array(chars.length);
  const { comment, string } = lexC(chars);
  let depth = 0; // paren depth relative to the if's own "(" (0 = not inside)
  let pendingIf = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const code = !comment[i] && !string[i];
    if (depth > 0) {
      if (code && c === "(") depth++;
      else if (code && c === ")") depth--;
      out[i] = depth > 0 ? 1 : 0;
      continue;
    }
    if (!code) continue;
    if (c === "f" && chars[i - 1] === "i" && !/[A-Za-z0-9_]/.test(chars[i - 2] ?? " ") && !/[A-Za-z0-9_]/.test(chars[i + 1] ?? " ")) {
      pendingIf = true;
    } else if (pendingIf && c === "(") {
      depth = 1;
      pendingIf = false;
      out[i] = 1;
    } else if (pendingIf && !/\s/.test(c)) {
      pendingIf = false;
    }
  }
  return out;
}

/** LaTeX inline and display math: `$…$`, `$$…$$`, `\(…\)`, `\[…\]`; a blank line ends any open math. */
function insideMath(chars: readonly string[]): Float32Array {
  const out = new Float32Array(chars.length);
  let inside = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const escaped = chars[i - 1] === "\\" && chars[i - 2] !== "\\";
    if (c === "$" && !escaped) {
      if (chars[i + 1] === "$") {
        out[i] = 1;
        i++;
      }
      inside = !inside;
      if (!inside) out[i] = 0;
      else out[i] = 1;
      continue;
    }
    if (escaped && (c === "(" || c === "[")) inside = true;
    else if (escaped && (c === ")" || c === "]")) inside = false;
    else if (c === "\n" && chars[i - 1] === "\n") inside = false;
    out[i] = inside ? 1 : 0;
  }
  return out;
}

/** `\begin{…}` opens, `\end{…}` closes (counted once the brace is read). */
function envDepth(chars: readonly string[]): Float32Array {
  const out = new Float32Array(chars.length);
  let d = 0;
  const at = (i: number, word: string) => {
    for (let k = 0; k < word.length; k++) if (chars[i + k] !== word[k]) return false;
    return true;
  };
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === "{" && i >= 6 && at(i - 6, "\\begin")) d++;
    else if (chars[i] === "{" && i >= 4 && at(i - 4, "\\end")) d = Math.max(0, d - 1);
    out[i] = d;
  }
  return out;
}

/** The words of a text: maximal runs of ASCII letters, lower-cased, with their [start, end) in code points. */
function words(chars: readonly string[]): { start: number; end: number; word: string }[] {
  const out: { start: number; end: number; word: string }[] = [];
  for (let i = 0; i < chars.length; ) {
    if (!/[A-Za-z]/.test(chars[i])) {
      i++;
      continue;
    }
    const start = i;
    while (i < chars.length && /[A-Za-z]/.test(chars[i])) i++;
    out.push({ start, end: i, word: chars.slice(start, i).join("").toLowerCase() });
  }
  return out;
}

/** On at every character of the words `pick` accepts (given each word and the one after it). */
function wordSignal(chars: readonly string[], pick: (word: string, next: string | undefined) => boolean): Float32Array {
  const out = new Float32Array(chars.length);
  const ws = words(chars);
  ws.forEach((w, k) => {
    if (pick(w.word, ws[k + 1]?.word)) out.fill(1, w.start, w.end);
  });
  return out;
}

const isShapeWord = (w: string) => (SHAPES as readonly string[]).some((x) => w === x || w === `${x}s`);
/** "above", "below", and "left"/"right" when "of" follows (with the "of"). */
function relationWords(chars: readonly string[]): Float32Array {
  const out = new Float32Array(chars.length);
  const ws = words(chars);
  ws.forEach((w, k) => {
    const next = ws[k + 1];
    if (w.word === "above" || w.word === "below") out.fill(1, w.start, w.end);
    else if ((w.word === "left" || w.word === "right") && next?.word === "of") out.fill(1, w.start, next.end);
  });
  return out;
}

/** From a relation word to the end of its line: the caption has said how two objects lie, and goes on to the second. */
function afterRelation(chars: readonly string[]): Float32Array {
  const rel = relationWords(chars);
  const out = new Float32Array(chars.length);
  let on = false;
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === "\n") on = false;
    else if (rel[i]) on = true;
    out[i] = on ? 1 : 0;
  }
  return out;
}

/**
 * How many shapes the line has named so far, counted from each shape word's
 * first character: a captioner's recording holds the state after a whole word
 * at every character of it (lib/record/record-captions.ts).
 */
function shapesNamed(chars: readonly string[]): Float32Array {
  const out = new Float32Array(chars.length);
  const starts = new Set(words(chars).filter((w) => isShapeWord(w.word)).map((w) => w.start));
  let n = 0;
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === "\n") n = 0;
    else if (starts.has(i)) n++;
    out[i] = n;
  }
  return out;
}

export const SIGNALS: SignalInfo[] = [
  { name: "inside_quotes", binary: true, for: "prose", description: 'inside double quotes "…"', compute: insideQuotes },
  { name: "chars_since_newline", binary: false, for: "any", description: "characters since the last newline (the column)", compute: sinceNewline },
  { name: "chars_until_newline", binary: false, for: "any", description: "characters until the next newline", compute: untilNewline },
  {
    name: "line_fraction",
    binary: false,
    for: "any",
    description: "position as a fraction of its line (0 at the start, 1 at the end)",
    compute: (c) => {
      const a = sinceNewline(c), b = untilNewline(c);
      return a.map((x, i) => (x + b[i] > 0 ? x / (x + b[i]) : 0));
    },
  },
  { name: "paragraph_start", binary: true, for: "prose", description: "a blank line and the first two characters after it (a paragraph just began)", compute: paragraphStart },
  { name: "brace_depth", binary: false, for: "code", description: "nesting depth of {} braces", compute: (c) => depth(c, "{", "}") },
  { name: "paren_depth", binary: false, for: "code", description: "nesting depth of () parentheses", compute: (c) => depth(c, "(", ")") },
  { name: "inside_comment", binary: true, for: "code", description: "inside a C comment (/* */ or //)", compute: (c) => lexC(c).comment },
  { name: "inside_string", binary: true, for: "code", description: "inside a C string literal", compute: (c) => lexC(c).string },
  // The paper's Linux figure shows one cell for both ("inside comments and quotes"), and models here learn the same.
  {
    name: "inside_comment_or_string",
    binary: true,
    for: "code",
    description: "inside a C comment or string literal",
    compute: (c) => {
      const { comment, string } = lexC(c);
      return comment.map((x, i) => Math.max(x, string[i]));
    },
  },
  { name: "inside_if_condition", binary: true, for: "code", description: "inside the parentheses of if (…)", compute: insideIfCondition },
  { name: "inside_math", binary: true, for: "latex", description: "inside LaTeX math ($…$, $$…$$, \\(…\\), \\[…\\])", compute: insideMath },
  { name: "env_depth", binary: false, for: "latex", description: "LaTeX \\begin/\\end environment depth", compute: envDepth },
  // The captions of scenes made by code (lib/captioning/scenes.ts): what a captioner's decoder has just said.
  { name: "color_word", binary: true, for: "captions", description: `a color word (${COLORS.join(", ")})`, compute: (c) => wordSignal(c, (w) => (COLORS as readonly string[]).includes(w)) },
  { name: "shape_word", binary: true, for: "captions", description: `a shape word (${SHAPES.join(", ")}, or plural)`, compute: (c) => wordSignal(c, isShapeWord) },
  { name: "size_word", binary: true, for: "captions", description: `a size word (${SIZES.join(", ")})`, compute: (c) => wordSignal(c, (w) => (SIZES as readonly string[]).includes(w)) },
  { name: "relation_word", binary: true, for: "captions", description: `a relation (${RELATIONS.join(", ")})`, compute: relationWords },
  { name: "after_relation", binary: true, for: "captions", description: "from a relation to the caption's end (the second object is being named)", compute: afterRelation },
  { name: "shapes_named", binary: false, for: "captions", description: "shapes named so far in the caption (its line)", compute: shapesNamed },
  { name: "is_space", binary: true, for: "any", description: "whitespace", compute: (c) => map(c, (x) => /\s/u.test(x)) },
  { name: "is_letter", binary: true, for: "any", description: "a letter", compute: (c) => map(c, (x) => /\p{L}/u.test(x)) },
  { name: "is_upper", binary: true, for: "any", description: "an upper-case letter", compute: (c) => map(c, (x) => /\p{Lu}/u.test(x)) },
  { name: "is_digit", binary: true, for: "any", description: "a digit", compute: (c) => map(c, (x) => /\p{Nd}/u.test(x)) },
  { name: "is_punct", binary: true, for: "any", description: "punctuation or a symbol", compute: (c) => map(c, (x) => /[\p{P}\p{S}]/u.test(x)) },
];

export const SIGNAL_NAMES = SIGNALS.map((s) => s.name);

/**
 * The cells Karpathy, Johnson & Fei-Fei (2015) made famous, as built-in
 * signals: quotes, `if` conditions, comments, `{}` depth, LaTeX math, then the
 * line cells (the column, and in prose the paragraph start its line cells turn
 * out to track). The home page leads with each model's clear detectors of
 * these, and set-up seeds the collection "the famous five" from the first five
 * found, in this order (lib/search/famous.ts).
 */
export const FAMOUS_SIGNALS: readonly string[] = ["inside_quotes", "inside_if_condition", "inside_comment", "brace_depth", "inside_math", "chars_since_newline", "paragraph_start"];

/** The kind of text of the corpora Cellscope ships. A corpus of your own has no kind, and every signal fits it. */
// Shakespeare is play text (speeches in verse and prose, speakers' names on their own lines): prose's signals, not code's.
const CORPUS_KINDS: Record<string, SignalKind> = { warpeace: "prose", shakespeare: "prose", linux: "code", latex: "latex", [CAPTIONS_CORPUS]: "captions" };

/**
 * Whether a signal was made for a corpus's kind of text (or for any text): the
 * detector gallery leaves out, say, `if` conditions in LaTeX, where a rare
 * stray match can make any unit look like a detector.
 */
export function signalFits(signal: string, corpus: string): boolean {
  const kind = Object.hasOwn(CORPUS_KINDS, corpus) ? CORPUS_KINDS[corpus] : undefined;
  const made = SIGNALS.find((s) => s.name === signal)?.for;
  return kind === undefined || made === undefined || made === "any" || made === kind;
}

export function getSignal(name: string): SignalInfo {
  const s = SIGNALS.find((x) => x.name === name);
  if (!s) throw new Error(`unknown signal "${name}" (known: ${SIGNAL_NAMES.join(", ")})`);
  return s;
}

/**
 * Computes a signal over `chars[from..]`, letting it read `context` (the
 * characters before `from`) so that states like "inside a quote" are right at
 * the first character.
 */
export function computeSignal(name: string, context: readonly string[], chars: readonly string[]): Signal {
  const s = getSignal(name);
  const all = s.compute([...context, ...chars]);
  return { values: all.slice(context.length), binary: s.binary };
}
