/** Every unit of one kind and layer as a grid of colored squares, each linking to its cell page. */
import Link from "next/link";
import type { UnitStat } from "@/lib/models/get-model.ts";
import { css, type ScaleName } from "@/lib/ui/color.ts";
import { statColor, type MapStat } from "@/lib/ui/unit-map.ts";
import { cellHref } from "@/lib/ui/urls.ts";

export function UnitGrid({ model, units, stat, scale, labels }: { model: string; units: UnitStat[]; stat: MapStat; scale: ScaleName; labels: Map<string, string> }) {
  const maxStd = Math.max(0, ...units.map((u) => u.std));
  return (
    <ul className="grid grid-cols-16 gap-px sm:grid-cols-32" aria-label={`${units.length} units colored by ${stat}`}>
      {units.map((u) => {
        const v = u[stat];
        const label = labels.get(u.unit);
        // "signal 0.612 (inside_quotes)": which signal the best score is against.
        const shown = `${stat} ${v.toFixed(3)}${stat === "signal" && u.signalName ? ` (${u.signalName})` : ""}`;
        return (
          <li key={u.unit}>
            <Link
              href={cellHref(model, u.unit, { scale })}
              className={`block aspect-square rounded-[2px] border ${label ? "border-stone-900" : "border-stone-200"} hover:border-stone-700`}
              style={{ backgroundColor: css(statColor(stat, v, u.kind, scale, maxStd)) }}
              title={`${u.unit}${label ? ` “${label}”` : ""} · ${shown}`}
              aria-label={`${u.unit}, ${shown}${label ? `, labelled ${label}` : ""}`}
              prefetch={false}
              data-unit={u.unit}
            />
          </li>
        );
      })}
    </ul>
  );
}
