"use client";
/**
 * The inspector's heat strips: every unit at one character, one strip per kind
 * and layer, sorted high to low. Hover names a unit; click opens it (on a
 * touch screen, where nothing hovers, the first tap names it, a second opens it). Each
 * strip's links are one string of SVG (heatStripHtml), read through event
 * delegation: a thousand units would otherwise be two thousand React elements
 * to render on the server and hydrate. The strips are drawn in the browser
 * only (after hydration, a frame later): as server HTML they were ~190 KB of
 * every cell page with ?at= and most of its server time under load; the
 * server sends just the values.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { ScaleName } from "@/lib/ui/color.ts";
import { heatStripHtml } from "@/lib/ui/text-html.ts";
import { cellHref, type ColorMode } from "@/lib/ui/urls.ts";

interface Group {
  kind: string;
  layer: number;
  units: { unit: string; value: number }[];
}

interface Hovered {
  unit: string;
  value: number;
  rank: number;
  of: number;
}

/** Stands for the unit in a `unitHref` template. */
export const UNIT_SLOT = "__UNIT__";

/** `unitHref`: where a unit's strip links, with UNIT_SLOT for the unit (default: its cell page at `at`). */
export function HeatStrips({ model, groups, at, scale, mode, current, unitHref }: { model: string; groups: Group[]; at: number; scale: ScaleName; mode: ColorMode; current: string; unitHref?: string }) {
  const router = useRouter();
  const [hover, setHover] = useState<Hovered | null>(null);
  const [drawn, setDrawn] = useState(false);
  /** The unit a touch has named (a second tap on it opens it), and whether the last press was a touch. */
  const armed = useRef<string | null>(null);
  const touch = useRef(false);
  useEffect(() => setDrawn(true), []);
  const byUnit = useMemo(() => {
    const m = new Map<string, Hovered>();
    if (drawn) for (const g of groups) g.units.forEach((u, i) => m.set(u.unit, { ...u, rank: i + 1, of: g.units.length }));
    return m;
  }, [drawn, groups]);
  const strips = useMemo(() => {
    // Every link is the same cell URL but for the unit (unit ids need no escaping).
    const sample = unitHref ?? cellHref(model, UNIT_SLOT, { at, scale, color: mode });
    const cut = sample.lastIndexOf(UNIT_SLOT);
    const href = (unit: string) => sample.slice(0, cut) + unit + sample.slice(cut + UNIT_SLOT.length);
    return drawn ? groups.map((g) => heatStripHtml(g.units, g.kind, scale, href, current)) : groups.map(() => "");
  }, [drawn, groups, model, at, scale, mode, current, unitHref]);
  const unitOf = (e: React.SyntheticEvent) => (e.target as Element).closest?.("a[data-unit]") as SVGAElement | null;
  const show = (e: React.SyntheticEvent) => {
    const a = unitOf(e);
    if (a) setHover(byUnit.get(a.dataset.unit!) ?? null);
  };
  const open = (e: React.MouseEvent) => {
    const a = unitOf(e);
    if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    const unit = a.dataset.unit!;
    if (touch.current && armed.current !== unit) {
      armed.current = unit;
      setHover(byUnit.get(unit) ?? null);
      return;
    }
    router.push(a.getAttribute("href")!);
  };
  return (
    <div data-testid="heat-strips">
      <p className="mb-1 h-5 font-mono text-xs text-stone-700" aria-live="polite" data-testid="strip-readout">
        {hover ? (
          `${hover.unit}  ${hover.value >= 0 ? "+" : "−"}${Math.abs(hover.value).toFixed(3)}  (#${hover.rank} of ${hover.of})${armed.current === hover.unit ? "  · tap again to open" : ""}`
        ) : (
          <>
            <span className="pointer-coarse:hidden">hover a unit; click to open it</span>
            <span className="hidden pointer-coarse:inline">tap a unit for its value; tap again to open it</span>
          </>
        )}
      </p>
      <div className="space-y-1.5">
        {groups.map((g, k) => (
          <div key={`${g.kind}:${g.layer}`} className="flex items-center gap-2">
            <span className="w-10 shrink-0 font-mono text-[11px] text-stone-500">
              {g.kind}:{g.layer}
            </span>
            <svg
              viewBox={`0 0 ${g.units.length} 1`}
              preserveAspectRatio="none"
              className="h-5 w-full min-w-0 rounded-sm border border-stone-200"
              role="group"
              aria-label={`${g.kind} layer ${g.layer}: ${g.units.length} units sorted by value`}
              onMouseOver={show}
              onFocus={show}
              onClick={open}
              onPointerDown={(e) => (touch.current = e.pointerType === "touch")}
              onMouseLeave={() => setHover(null)}
              dangerouslySetInnerHTML={{ __html: strips[k] }}
            />
          </div>
        ))}
      </div>
    </div>
  );
}
