/** Number formatting shared by the views. */
export const int = (n: number) => n.toLocaleString("en-US");
export const fixed = (n: number | null | undefined, d = 3) => (n == null || !Number.isFinite(n) ? "—" : n.toFixed(d));
export const signed = (n: number | null | undefined, d = 3) => (n == null || !Number.isFinite(n) ? "—" : (n >= 0 ? "+" : "−") + Math.abs(n).toFixed(d));
export const pct = (n: number | null | undefined, d = 1) => (n == null || !Number.isFinite(n) ? "—" : `${(n * 100).toFixed(d)}%`);

/** Compact parameter counts: 75,986 → "76k", 3.2M. */
export function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e3) return `${Math.round(n / 1e3)}k`;
  return String(n);
}

/** What a person calls a kind of unit ("forget gate"): lib/model/unit-kinds.ts. */
export { kindLabel } from "@/lib/model/unit-kinds.ts";

export { showChar } from "@/lib/ui/text-html.ts";
import { showChar } from "@/lib/ui/text-html.ts";

/** A character named for a label: "space", "newline", or the character quoted. */
export function nameChar(c: string | null): string {
  if (c === null) return "(end)";
  if (c === " ") return "space";
  if (c === "\n") return "newline";
  if (c === "\t") return "tab";
  return `“${showChar(c)}”`;
}
