/**
 * Color scales for activations, as in Karpathy, Johnson & Fei-Fei (2015):
 * −1 red … 0 white … +1 blue; a color-blind-safe diverging alternative
 * (orange … white … purple, from ColorBrewer's PuOr); and a sequential scale
 * for the model's surprise (per-character loss).
 *
 * End colors are light enough that dark text stays readable on them
 * (contrast ≥ 4.5:1 against stone-900).
 *
 * Pure functions: used by server components, client components and tests.
 */
import { isSigned } from "../model/unit-kinds.ts";

export type Rgb = readonly [number, number, number];

export const SCALES = ["rb", "cb"] as const;
export type ScaleName = (typeof SCALES)[number];

export const SCALE_INFO: Record<ScaleName, { label: string; neg: Rgb; pos: Rgb; negName: string; posName: string }> = {
  rb: { label: "red–blue", neg: [239, 83, 80], pos: [66, 133, 244], negName: "red", posName: "blue" },
  cb: { label: "orange–purple (color-blind safe)", neg: [224, 130, 20], pos: [153, 142, 195], negName: "orange", posName: "purple" },
};

const WHITE: Rgb = [255, 255, 255];

/** Linear interpolation between two colors, t in [0, 1] (clamped). */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  const u = t <= 0 ? 0 : t >= 1 ? 1 : t;
  return [Math.round(a[0] + (b[0] - a[0]) * u), Math.round(a[1] + (b[1] - a[1]) * u), Math.round(a[2] + (b[2] - a[2]) * u)];
}

/** A CSS hex color (`#rrggbb`: the shortest form, for pages with thousands of colored characters). */
export function css(c: Rgb): string {
  return "#" + ((1 << 24) | (c[0] << 16) | (c[1] << 8) | c[2]).toString(16).slice(1);
}

/** The form Chromium reports for an inline color: `rgb(r, g, b)`. */
export function cssRgb(c: Rgb): string {
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** A diverging color for t in [−1, 1]: −1 neg … 0 white … +1 pos. NaN is white. */
export function divergingColor(t: number, scale: ScaleName = "rb"): Rgb {
  if (!Number.isFinite(t)) return WHITE;
  const s = SCALE_INFO[scale] ?? SCALE_INFO.rb;
  return t < 0 ? mix(WHITE, s.neg, -t) : mix(WHITE, s.pos, t);
}

/** Maps a unit's value onto [−1, 1]: tanh-like kinds as they are; gates (in [0, 1]) so that 0.5 is white. */
export function normalizeValue(v: number, kind: string): number {
  return isSigned(kind) ? v : 2 * v - 1;
}

/** The color of one value of a unit of `kind`. */
export function valueColor(v: number, kind: string, scale: ScaleName = "rb"): Rgb {
  return divergingColor(normalizeValue(v, kind), scale);
}

/** Loss (nats) at which the surprise scale is at full strength. */
export const SURPRISE_MAX_NATS = 6;
const SURPRISE_MID: Rgb = [253, 200, 90];
const SURPRISE_HI: Rgb = [239, 83, 80];

/** Sequential color for a per-character loss in nats: 0 white … 3 amber … 6+ red. NaN is white. */
export function surpriseColor(nats: number): Rgb {
  if (!Number.isFinite(nats) || nats <= 0) return WHITE;
  const t = Math.min(1, nats / SURPRISE_MAX_NATS);
  return t < 0.5 ? mix(WHITE, SURPRISE_MID, t * 2) : mix(SURPRISE_MID, SURPRISE_HI, (t - 0.5) * 2);
}

/** Sequential color for t in [0, 1] (white … the scale's positive color), e.g. a statistic on the unit map. */
export function sequentialColor(t: number, scale: ScaleName = "rb"): Rgb {
  if (!Number.isFinite(t)) return WHITE;
  return mix(WHITE, (SCALE_INFO[scale] ?? SCALE_INFO.rb).pos, t);
}

/** A CSS linear-gradient for a legend, left to right, sampled from `color` over [0, 1]. */
export function gradientCss(color: (t: number) => Rgb, steps = 8): string {
  const stops = Array.from({ length: steps + 1 }, (_, i) => `${css(color(i / steps))} ${((i / steps) * 100).toFixed(1)}%`);
  return `linear-gradient(to right, ${stops.join(", ")})`;
}

/** WCAG relative luminance of an sRGB color. */
export function luminance(c: Rgb): number {
  const ch = (v: number) => {
    const x = v / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2]);
}

/** WCAG contrast ratio between two colors. */
export function contrast(a: Rgb, b: Rgb): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
