/**
 * The cell page's colored text as an HTML string: one span per character with
 * its inline background color. Built as a string rather than as thousands of
 * React elements, so server rendering and hydration stay cheap; the text view
 * reads the spans through event delegation only.
 */
import { css, surpriseColor, valueColor, type ScaleName } from "./color.ts";

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

export interface HtmlChunk {
  start: number;
  /** Code points. */
  chars: string[];
  values: number[];
  surprise?: (number | null)[];
}

/**
 * The server's window of text (`chunk.start` onward) as one span per character.
 * Only the selected one carries its offset (data-o): the others' is the window's
 * start plus their index (chunkOffset), which keeps a cell page's HTML (a
 * screenful, rendered for every view) about a third smaller.
 */
export function chunkHtml(chunk: HtmlChunk, kind: string, scale: ScaleName, mode: "unit" | "surprise", selected: number): string {
  let html = "";
  for (let i = 0; i < chunk.chars.length; i++) {
    const c = chunk.chars[i];
    const sel = chunk.start + i === selected;
    const bg = css(mode === "surprise" ? surpriseColor(chunk.surprise?.[i] ?? NaN) : valueColor(chunk.values[i], kind, scale));
    const cls = c === "\n" ? (sel ? "nl sel" : "nl") : sel ? "sel" : "";
    html += `<span${sel ? ` data-o="${selected}"` : ""}${cls ? ` class="${cls}"` : ""}${sel ? ' aria-current="true"' : ""} style="background:${bg}">${ESC[c] ?? c}</span>`;
  }
  return html;
}

/**
 * The offset of a character's span: its data-o (rowsHtml writes it on every
 * span), else, inside chunkHtml's window (a parent with data-chunk = its start),
 * the window's start plus the span's index. Undefined for anything else.
 */
export function chunkOffset(el: Element): number | undefined {
  const own = (el as HTMLElement).dataset?.o;
  if (own !== undefined) return Number(own);
  const parent = el.parentElement;
  const start = parent?.dataset.chunk;
  if (start === undefined || el.tagName !== "SPAN") return undefined;
  return Number(start) + Array.prototype.indexOf.call(parent!.children, el);
}

/**
 * Rows [first, last) of a laid-out text (lib/ui/text-layout.ts) as HTML: one
 * div per row, one span per character with its offset (data-o) and its color
 * (`color(o)`, no background while it is unknown). A newline's span is empty
 * (CSS draws it as ↵); tabs stay tabs (the row's tab stops match the layout);
 * other control characters show as their ␀-style symbols.
 */
export function rowsHtml(text: { chars: readonly string[]; starts: Int32Array }, first: number, last: number, color: (offset: number) => string | null, selected: number): string {
  const { chars, starts } = text;
  let html = "";
  for (let r = first; r < last && r < starts.length; r++) {
    const end = r + 1 < starts.length ? starts[r + 1] : chars.length;
    html += '<div class="vr">';
    for (let o = starts[r]; o < end; o++) {
      const c = chars[o];
      const bg = color(o);
      const sel = o === selected;
      const cls = c === "\n" ? (sel ? "nl sel" : "nl") : sel ? "sel" : "";
      const shown = c === "\n" ? "" : c === "\t" ? c : showChar(c);
      html += `<span data-o="${o}"${cls ? ` class="${cls}"` : ""}${sel ? ' aria-current="true"' : ""}${bg ? ` style="background:${bg}"` : ""}>${ESC[shown] ?? shown}</span>`;
    }
    html += "</div>";
  }
  return html;
}

/** Printable form of a character on one line: newline ↵, tab →, other control characters as their ␀-style symbols. */
export function showChar(c: string): string {
  if (c === "\n") return "↵";
  if (c === "\t") return "→";
  const code = c.codePointAt(0) ?? 0;
  if (code < 32) return String.fromCodePoint(0x2400 + code);
  return c;
}

/**
 * A one-line excerpt colored by a unit, as HTML: one span per character
 * (newlines shown as ↵), the characters in [mark[0], mark[1]) with class "m"
 * and a data-mark attribute.
 */
export function snippetHtml(s: { start: number; text: string; values: number[]; mark: [number, number] }, kind: string, scale: ScaleName): string {
  const chars = Array.from(s.text);
  let html = "";
  for (let i = 0; i < chars.length; i++) {
    const o = s.start + i;
    const marked = o >= s.mark[0] && o < s.mark[1];
    const c = showChar(chars[i]);
    html += `<span${marked ? ' class="m" data-mark=""' : ""} style="background:${css(valueColor(s.values[i], kind, scale))}">${ESC[c] ?? c}</span>`;
  }
  return html;
}

/**
 * One heat strip of the inspector as SVG markup: a link per unit (to its cell
 * page: `href(unit)`), drawn as a 1-wide rect in its color, in the order
 * given; the current unit outlined. A string, like the text above, so that
 * 1,024 units cost one element for React instead of 2,048.
 */
export function heatStripHtml(units: readonly { unit: string; value: number }[], kind: string, scale: ScaleName, href: (unit: string) => string, current: string): string {
  let html = "";
  for (let i = 0; i < units.length; i++) {
    const u = units[i];
    const outline = u.unit === current ? ' stroke="#1c1917" stroke-width="0.15" vector-effect="non-scaling-stroke"' : "";
    html += `<a href="${ESC_ATTR(href(u.unit))}" aria-label="${u.unit} ${u.value.toFixed(3)}" data-unit="${u.unit}"><rect x="${i}" y="0" width="1.02" height="1" fill="${css(valueColor(u.value, kind, scale))}"${outline}></rect></a>`;
  }
  return html;
}

const ESC_ATTR = (s: string) => s.replace(/[&<>"]/g, (c) => ESC[c]);
