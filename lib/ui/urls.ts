/**
 * Every view keeps its whole state in the URL. This module reads that state
 * from a page's search params and writes the links between views, so that a
 * permalink reopens exactly the same view.
 *
 *   /models/M                          ?stat=std|mean|…&scale=cb
 *   /models/M/cells/c:1:83             ?at=OFFSET&scale=cb&color=surprise
 *   /models/M/cells/c:1:83/knockout    ?from=OFFSET&to=OFFSET&value=mean|X&scale=cb
 *   /models/M/match                    ?from=OFFSET&to=OFFSET&threshold=0.5&scale=cb
 *   /models/M/cells/1/83, …/cells/h/1/83   → redirect to the unit id form above
 *   /embed/models/M/cells/c:1:83       ?from=OFFSET&to=OFFSET&scale=cb&format=svg&download=1  (no script; frameable)
 *   /models/M/try                      ?unit=c:1:40&text=YOUR+TEXT&prime=…&at=OFFSET&scale=cb  (text up to MAX_RUN_URL_CHARS)
 *   /models/M/search                   ?q=REGEX&mode=inside&close=… | ?signal=NAME  (&sort=auc&limit=N&scale=cb)
 *   /learn/hello                       ?seed=S&step=N  (the "hello" RNN after N training steps from seed S)
 */
import { SCALES, type ScaleName } from "./color.ts";
import { isUnitKind } from "../model/unit-kinds.ts";
import { MAX_RUN_URL_CHARS } from "../api/limits.ts";

export type SearchParamsRecord = Record<string, string | string[] | undefined>;

/** The first value of a search param (Next gives arrays for repeated keys). */
export function first(sp: SearchParamsRecord | URLSearchParams, key: string): string | undefined {
  if (sp instanceof URLSearchParams) return sp.get(key) ?? undefined;
  const v = sp[key];
  return Array.isArray(v) ? v[0] : v;
}

export const COLOR_MODES = ["unit", "surprise"] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

export interface CellView {
  /** The selected character (recording offset), if any. */
  at?: number;
  scale: ScaleName;
  color: ColorMode;
}

/** The color scale a page's `?scale=` asks for (red–blue unless it names another). */
export function parseScale(sp: SearchParamsRecord | URLSearchParams): ScaleName {
  const raw = first(sp, "scale");
  return (SCALES as readonly string[]).includes(raw ?? "") ? (raw as ScaleName) : "rb";
}

/** Reads the cell view from search params; an unreadable `at` is dropped and explained in `problem`. */
export function parseCellView(sp: SearchParamsRecord | URLSearchParams): { view: CellView; problem?: string } {
  const colorRaw = first(sp, "color");
  const view: CellView = {
    scale: parseScale(sp),
    color: (COLOR_MODES as readonly string[]).includes(colorRaw ?? "") ? (colorRaw as ColorMode) : "unit",
  };
  const atRaw = first(sp, "at");
  if (atRaw === undefined || atRaw.trim() === "") return { view };
  const at = parseOffset(atRaw);
  if (typeof at === "string") return { view, problem: `?at=${atRaw.slice(0, 40)}: ${at}` };
  return { view: { ...view, at } };
}

/** A non-negative integer offset, or a message saying why the text isn't one. */
export function parseOffset(raw: string): number | string {
  const s = raw.trim().replace(/[,_]/g, "");
  if (!/^-?\d+$/.test(s)) return "an offset must be a whole number of characters";
  const n = Number(s);
  if (n < 0) return "an offset cannot be negative";
  if (!Number.isSafeInteger(n)) return "the offset is too large";
  return n;
}

/**
 * A unit id from a URL path segment: `c:1:83`, or with the colons
 * percent-encoded (`c%3A1%3A83`, once or twice).
 */
export function decodeUnitParam(raw: string): string {
  let s = raw;
  for (let i = 0; i < 2 && /%[0-9a-f]{2}/i.test(s); i++) {
    try {
      s = decodeURIComponent(s);
    } catch {
      break;
    }
  }
  return s.trim();
}

/**
 * A unit id from path segments that spell it as a path (`1/83` → `c:1:83`, the
 * cell state the 2015 paper colors by, or `stateKind`'s unit for a model whose
 * cell has no c; `h/1/83` → `h:1:83`), or null when they do not. Whether the
 * model has that unit is the cell page's to say.
 */
export function unitFromPath(segments: string[], stateKind = "c"): string | null {
  const parts = segments.map((s) => decodeUnitParam(s));
  const [kind, layer, index] = parts.length === 2 ? [stateKind, ...parts] : parts;
  if (parts.length < 2 || parts.length > 3 || !isUnitKind(kind) || !/^\d{1,2}$/.test(layer) || !/^\d{1,4}$/.test(index)) return null;
  return `${kind}:${Number(layer)}:${Number(index)}`;
}

const enc = encodeURIComponent;

function query(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`);
  return parts.length ? `?${parts.join("&")}` : "";
}

/** The models of a corpus compared (app/corpora/[corpus]). */
export const corpusHref = (corpus: string) => `/corpora/${encodeURIComponent(corpus)}`;

export function modelHref(model: string, opts: { stat?: string; scale?: ScaleName } = {}): string {
  return `/models/${enc(model)}${query({ stat: opts.stat, scale: opts.scale === "cb" ? "cb" : undefined })}`;
}

/** The cell page; colons stay readable in the path (`/models/m/cells/c:1:83`). */
export function cellHref(model: string, unit: string, view: Partial<CellView> = {}): string {
  const path = `/models/${enc(model)}/cells/${unit.split(":").map(enc).join(":")}`;
  return (
    path +
    query({
      at: view.at,
      scale: view.scale === "cb" ? "cb" : undefined,
      color: view.color === "surprise" ? "surprise" : undefined,
    })
  );
}

/** Your own text, live (app/models/[model]/try): the text rides in the link only when it is short enough to (MAX_RUN_URL_CHARS). */
export function tryHref(model: string, opts: { unit?: string; text?: string; prime?: string; at?: number; scale?: ScaleName } = {}): string {
  const text = opts.text && Array.from(opts.text).length <= MAX_RUN_URL_CHARS ? opts.text : undefined;
  return `/models/${enc(model)}/try${query({ unit: opts.unit, text, prime: opts.prime || undefined, at: text ? opts.at : undefined, scale: opts.scale === "cb" ? "cb" : undefined })}`;
}

/** A stretch of a cell view on its own, to frame or download (app/embed/…): the cell page's path under /embed. */
export function embedHref(model: string, unit: string, opts: { from: number; to: number; scale?: ScaleName }): string {
  return `/embed${cellHref(model, unit)}${query({ from: opts.from, to: opts.to, scale: opts.scale === "cb" ? "cb" : undefined })}`;
}

/** A unit's knock-out map: the stretch [from, to) with the unit held at `value` (zero, mean or a number). */
export function knockoutHref(model: string, unit: string, opts: { from: number; to: number; value?: string | number; scale?: ScaleName }): string {
  const value = opts.value === undefined || opts.value === "zero" ? undefined : String(opts.value);
  return cellHref(model, unit) + "/knockout" + query({ from: opts.from, to: opts.to, value, scale: opts.scale === "cb" ? "cb" : undefined });
}

/** Select and match: the units on throughout [from, to) of a model's recording, and where else they are (app/models/[model]/match). */
export function matchHref(model: string, opts: { from: number; to: number; threshold?: number; scale?: ScaleName }): string {
  return `/models/${enc(model)}/match` + query({ from: opts.from, to: opts.to, threshold: opts.threshold === undefined || opts.threshold === 0.5 ? undefined : opts.threshold, scale: opts.scale === "cb" ? "cb" : undefined });
}

export interface SearchView {
  q?: string;
  mode?: string;
  close?: string;
  signal?: string;
  sort?: string;
  limit?: number;
  scale?: ScaleName;
  /** Rank over recording offsets [from, to) only. */
  from?: number;
  to?: number;
  /** "effect": also rank the units by their knock-out effect (the search page's second ranking). */
  rank?: string;
}

export function searchHref(model: string, s: SearchView = {}): string {
  return (
    `/models/${enc(model)}/search` +
    query({
      signal: s.signal,
      q: s.signal ? undefined : s.q,
      mode: s.signal || !s.q || s.mode === "inside" ? undefined : s.mode,
      close: s.signal || s.mode !== "depth" ? undefined : s.close,
      sort: s.sort === "auc" ? "auc" : undefined,
      limit: s.limit,
      from: s.from || undefined,
      to: s.to,
      scale: s.scale === "cb" ? "cb" : undefined,
      rank: s.rank === "effect" ? "effect" : undefined,
    })
  );
}

/** The cell page's text view fetches a unit's values in aligned blocks of this many characters (2^TEXT_BLOCK_BITS). */
export const TEXT_BLOCK_BITS = 11;
export const TEXT_BLOCK = 1 << TEXT_BLOCK_BITS;

/**
 * The window of text the server sends with a cell page: whole blocks covering
 * half a block before `at` and a block after it (two or three blocks), inside
 * the recording. The text view shows it until it has laid out the whole text,
 * and keeps its values.
 */
export function textWindow(at: number | undefined, total: number, block = TEXT_BLOCK): { start: number; end: number } {
  const a = Math.max(0, Math.min(at ?? 0, total - 1));
  const start = Math.floor(Math.max(0, a - block / 2) / block) * block;
  return { start, end: Math.min(total, Math.max(start + 2 * block, Math.ceil((a + block) / block) * block)) };
}

/** Characters the compare view starts before the selected one, so the selection has context above it. */
export const COMPARE_LEAD = 400;

/** Where the compare view opens for a selected character. */
export const compareStart = (sel: number) => Math.max(0, sel - COMPARE_LEAD);

/** The compare view of 2–3 units from the cell page: the first at `at`, with the selected character kept as `sel`. */
export function compareHref(model: string, units: string[], opts: { at: number; sel?: number; scale: ScaleName }): string {
  const q = new URLSearchParams({ units: units.join(","), at: String(opts.at) });
  if (opts.sel !== undefined) q.set("sel", String(opts.sel));
  if (opts.scale === "cb") q.set("scale", "cb");
  return `/models/${encodeURIComponent(model)}/compare?${q}`;
}

/** The /learn/hello view: the "hello" RNN after `step` training steps from the initial weights of `seed`. */
export interface HelloView {
  seed: number;
  step: number;
}

/** The seed /learn/hello starts from when the URL names none. */
export const HELLO_DEFAULT_SEED = 1;
/**
 * The most steps a link may ask for: the page re-trains them in the browser
 * (about 2 ms a step on tfjs's CPU backend), so a link costs at most ~20 s.
 */
export const HELLO_MAX_STEP = 10_000;
const MAX_SEED = 2 ** 32 - 1;

/** A whole number in [0, max], or a message saying why the text is not one. */
function parseCount(raw: string, max: number): number | string {
  const s = raw.trim();
  if (!/^\d+$/.test(s)) return "must be a whole number, 0 or more";
  const n = Number(s);
  return n > max ? `must be at most ${max.toLocaleString("en-US")}` : n;
}

/**
 * Reads ?seed=&step= (defaults: HELLO_DEFAULT_SEED and step 0). A value that
 * cannot be read is replaced by its default and explained in `problems`, so the
 * page says why it does not show what the link asked for.
 */
export function parseHelloView(sp: SearchParamsRecord | URLSearchParams): { view: HelloView; problems: string[] } {
  const problems: string[] = [];
  const read = (key: string, max: number, fallback: number) => {
    const raw = first(sp, key);
    if (raw === undefined || raw.trim() === "") return fallback;
    const v = parseCount(raw, max);
    if (typeof v === "number") return v;
    problems.push(`?${key}=${raw.slice(0, 40)}: the ${key} ${v}`);
    return fallback;
  };
  return { view: { seed: read("seed", MAX_SEED, HELLO_DEFAULT_SEED), step: read("step", HELLO_MAX_STEP, 0) }, problems };
}

/** A link that reproduces exactly these numbers: both parameters always, so the link does not depend on a default. */
export function helloHref(v: HelloView): string {
  return `/learn/hello?seed=${v.seed}&step=${v.step}`;
}

/** /captioning's state: a generated scene or drawn objects, the unit coloring the words, and a sampling temperature. */
export interface CaptioningView {
  scene?: string;
  objects?: { shape: string; color: string; size: string; x: number; y: number }[];
  unit?: string;
  temperature?: number;
}

/** Drawn objects in a URL: `circle.red.large.20.30_square.blue.small.44.12` (characters a URL keeps as they are). */
export function encodeObjects(objects: NonNullable<CaptioningView["objects"]>): string {
  return objects.map((o) => [o.shape, o.color, o.size, o.x, o.y].join(".")).join("_");
}

export function decodeObjects(s: string): CaptioningView["objects"] {
  return s
    .split("_")
    .filter(Boolean)
    .map((part) => {
      const [shape, color, size, x, y] = part.split(".");
      return { shape, color, size, x: Number(x), y: Number(y) };
    });
}

export function captioningHref(v: CaptioningView): string {
  const q = new URLSearchParams();
  if (v.objects?.length) q.set("objects", encodeObjects(v.objects));
  else q.set("scene", v.scene ?? "test-0");
  if (v.unit) q.set("unit", v.unit);
  if (v.temperature) q.set("temperature", String(v.temperature));
  return `/captioning?${q}`;
}
