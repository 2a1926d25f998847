"use client";
/** The inspector's heat strips: every unit at one character, one strip per kind and layer, sorted high to low. Hover names a unit; click opens it. */
import { useState } from "react";
import { useRouter } from "next/navigation";
import { css, valueColor, type ScaleName } from "@/lib/ui/color.ts";
import { cellHref, type ColorMode } from "@/lib/ui/urls.ts";

interface Group {
  kind: string;
  layer: number;
  units: { unit: string; value: number }[];
}

export function HeatStrips({ model, groups, at, scale, mode, current }: { model: string; groups: Group[]; at: number; scale: ScaleName; mode: ColorMode; current: string }) {
  const router = useRouter();
  const [hover, setHover] = useState<{ unit: string; value: number; rank: number; of: number } | null>(null);
  return (
    <div data-testid="heat-strips">
      <p className="mb-1 h-5 font-mono text-xs text-stone-700" aria-live="polite" data-testid="strip-readout">
        {hover ? `${hover.unit}  ${hover.value >= 0 ? "+" : "−"}${Math.abs(hover.value).toFixed(3)}  (#${hover.rank} of ${hover.of})` : "hover a unit; click to open it"}
      </p>
      <div className="space-y-1.5">
        {groups.map((g) => (
          <div key={`${g.kind}:${g.layer}`} className="flex items-center gap-2">
            <span className="w-10 shrink-0 font-mono text-[11px] text-stone-500">
              {g.kind}:{g.layer}
            </span>
            <svg viewBox={`0 0 ${g.units.length} 1`} preserveAspectRatio="none" className="h-5 w-full min-w-0 rounded-sm border border-stone-200" role="group" aria-label={`${g.kind} layer ${g.layer}: ${g.units.length} units sorted by value`} onMouseLeave={() => setHover(null)}>
              {g.units.map((u, i) => {
                const href = cellHref(model, u.unit, { at, scale, color: mode });
                return (
                  <a
                    key={u.unit}
                    href={href}
                    aria-label={`${u.unit} ${u.value.toFixed(3)}`}
                    onClick={(e) => {
                      e.preventDefault();
                      router.push(href);
                    }}
                    onMouseEnter={() => setHover({ ...u, rank: i + 1, of: g.units.length })}
                    onFocus={() => setHover({ ...u, rank: i + 1, of: g.units.length })}
                    data-unit={u.unit}
                  >
                    <rect x={i} y={0} width={1.02} height={1} fill={css(valueColor(u.value, g.kind, scale))} stroke={u.unit === current ? "#1c1917" : "none"} strokeWidth={u.unit === current ? 0.15 : 0} vectorEffect="non-scaling-stroke" />
                  </a>
                );
              })}
            </svg>
          </div>
        ))}
      </div>
    </div>
  );
}
