/**
 * A stretch of text colored by one unit, as a file that stands on its own:
 *
 *   html  a complete page, every style inline, no script, no font or image to
 *         fetch: what the embed route serves in an <iframe> and what "Download
 *         HTML" saves (it opens the same offline, years later)
 *   svg   the same text as vector graphics for a paper: one line per line of
 *         the text (wrapped at `width` characters), each character a colored
 *         cell, in the reader's monospace font
 *
 * Both say which model and unit they show, the value range of the colors and
 * where the view lives in Cellscope (`href`).
 */
import { css, SCALE_INFO, valueColor, type ScaleName } from "./color.ts";
import { isSigned } from "../model/unit-kinds.ts";

export interface ColoredStretch {
  model: string;
  unit: string;
  kind: string;
  /** Offset of the first character in the recording. */
  start: number;
  chars: readonly string[];
  values: readonly number[];
  scale: ScaleName;
  /** The view in Cellscope (absolute or site-relative). */
  href: string;
}

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]);

function legend(s: ColoredStretch): { lo: string; hi: string; gradient: string; label: string } {
  const signed = isSigned(s.kind);
  const stops = Array.from({ length: 9 }, (_, i) => css(valueColor(signed ? i / 4 - 1 : i / 8, s.kind, s.scale)));
  return { lo: signed ? "−1" : "0", hi: "+1", gradient: `linear-gradient(to right, ${stops.join(", ")})`, label: SCALE_INFO[s.scale].label };
}

export function standaloneHtml(s: ColoredStretch): string {
  const l = legend(s);
  let text = "";
  s.chars.forEach((c, i) => {
    const shown = c === "\n" ? "↵\n" : c === "\t" ? "→" : c;
    text += `<span title="${s.start + i}: ${s.values[i].toFixed(3)}" style="background:${css(valueColor(s.values[i], s.kind, s.scale))}">${esc(shown)}</span>`;
  });
  const title = `${s.model} · ${s.unit} · characters ${s.start.toLocaleString("en")}–${(s.start + s.chars.length).toLocaleString("en")}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{margin:0;padding:12px;font:14px/1.5 system-ui,sans-serif;color:#1c1917;background:#fff}
header{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin-bottom:8px;font-size:13px}
.t{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-all;line-height:1.6;border:1px solid #e7e5e4;border-radius:4px;padding:8px}
.bar{display:inline-block;width:120px;height:10px;border:1px solid #d6d3d1;vertical-align:middle;background:${l.gradient}}
a{color:#1c1917}
</style></head>
<body>
<header><strong style="font-family:ui-monospace,Menlo,monospace">${esc(s.model)} · ${esc(s.unit)}</strong>
<span>${esc(l.lo)} <span class="bar" role="img" aria-label="${esc(l.label)}"></span> ${esc(l.hi)}</span>
<a href="${esc(s.href)}" target="_blank" rel="noopener">open in Cellscope</a></header>
<div class="t" data-testid="standalone-text">${text}</div>
</body></html>
`;
}

export interface RankedUnits {
  model: string;
  /** What was searched for, as a reader would say it: the regex or the signal's name. */
  what: string;
  results: { unit: string; kind: string; r: number; auc?: number; label: string | null; preview: { start: number; text: string; values: number[]; mark: [number, number] } | null }[];
  scale: ScaleName;
  href: string;
}

/** A search's ranking as a page that stands on its own (the search embed): each unit with r, AUC and a colored preview. */
export function standaloneSearchHtml(s: RankedUnits): string {
  const rows = s.results
    .map((x, i) => {
      let preview = "";
      if (x.preview) {
        Array.from(x.preview.text).forEach((c, k) => {
          const o = x.preview!.start + k;
          const marked = o >= x.preview!.mark[0] && o < x.preview!.mark[1];
          preview += `<span style="background:${css(valueColor(x.preview!.values[k], x.kind, s.scale))}${marked ? ";text-decoration:underline" : ""}">${esc(c === "\n" ? "↵" : c)}</span>`;
        });
      }
      return `<tr><td>${i + 1}</td><td class="m">${esc(x.unit)}${x.label ? ` <span class="l">${esc(x.label)}</span>` : ""}</td><td class="n">${x.r >= 0 ? "+" : "−"}${Math.abs(x.r).toFixed(3)}</td><td class="n">${x.auc === undefined ? "" : x.auc.toFixed(3)}</td><td class="m p">${preview}</td></tr>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${s.model} · units tracking ${s.what}`)}</title>
<style>
body{margin:0;padding:12px;font:14px/1.5 system-ui,sans-serif;color:#1c1917;background:#fff}
table{border-collapse:collapse;width:100%}td,th{padding:2px 8px;border-bottom:1px solid #e7e5e4;text-align:left;vertical-align:top}
.m{font-family:ui-monospace,Menlo,Consolas,monospace}.n{font-variant-numeric:tabular-nums;text-align:right}.p{white-space:pre}.l{font-family:system-ui,sans-serif;color:#57534e}
a{color:#1c1917}
</style></head>
<body>
<p><strong class="m">${esc(s.model)}</strong>: the units that track <strong class="m">${esc(s.what)}</strong> best · <a href="${esc(s.href)}" target="_blank" rel="noopener">open in Cellscope</a></p>
<table data-testid="standalone-ranking"><thead><tr><th>#</th><th>unit</th><th>r</th><th>AUC</th><th>around the first match</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}

/** The SVG: `width` characters a line at most (longer lines wrap), newlines end lines. */
export function standaloneSvg(s: ColoredStretch, width = 80): string {
  const CW = 8.4; // a 14 px monospace character's advance, near enough for every common font
  const LH = 20;
  const lines: { c: string; v: number }[][] = [[]];
  s.chars.forEach((c, i) => {
    const line = lines[lines.length - 1];
    if (c === "\n") {
      line.push({ c: "↵", v: s.values[i] });
      lines.push([]);
    } else {
      if (line.length >= width) lines.push([]);
      lines[lines.length - 1].push({ c: c === "\t" ? "→" : c, v: s.values[i] });
    }
  });
  const top = 28;
  const w = Math.ceil(width * CW + 16);
  const h = top + lines.length * LH + 8;
  let body = "";
  lines.forEach((line, y) => {
    line.forEach((ch, x) => {
      body += `<rect x="${(8 + x * CW).toFixed(1)}" y="${top + y * LH}" width="${CW.toFixed(1)}" height="${LH}" fill="${css(valueColor(ch.v, s.kind, s.scale))}"/>`;
    });
    const t = line.map((ch) => esc(ch.c === " " ? "\u00a0" : ch.c)).join("");
    if (t) body += `<text x="8" y="${top + y * LH + 14}" textLength="${(line.length * CW).toFixed(1)}" lengthAdjust="spacingAndGlyphs">${t}</text>`;
  });
  const l = legend(s);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="14">
<title>${esc(`${s.model} · ${s.unit} · characters ${s.start}–${s.start + s.chars.length} (${l.lo} to ${l.hi}: ${l.label})`)}</title>
<rect width="100%" height="100%" fill="#fff"/>
<text x="8" y="18" font-size="12" fill="#57534e">${esc(`${s.model} · ${s.unit} · ${l.lo} … ${l.hi} · ${s.href}`)}</text>
${body}
</svg>
`;
}
