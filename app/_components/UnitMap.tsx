/**
 * Every unit of one kind and layer as a grid of colored squares, each linking
 * to its cell page. Constant units (isConstantUnit) are grey whatever the
 * statistic: they carry nothing, and a pinned tanh(c) would otherwise look
 * like the strongest unit on the mean map.
 */
import Link from "next/link";
import type { UnitStat } from "@/lib/cells/get-model.ts";
import { css, type ScaleName } from "@/lib/ui/color.ts";
import { statColor, type MapStat } from "@/lib/ui/unit-map.ts";
import { cellHref } from "@/lib/ui/urls.ts";
import { isConstantUnit } from "@/lib/search/strength.ts";

/** Tailwind's stone-400: apart from every color of the map's scales, which run from white. */
export const CONSTANT_GREY = "#a8a29e";

/** One square per unit; its tooltip: id, the user's label, the generated description (lib/cells/describe-unit.ts), the statistic shown. */
export function UnitGrid({ model, units, stat, scale, labels, descriptions }: { model: string; units: UnitStat[]; stat: MapStat; scale: ScaleName; labels: Map<string, string>; descriptions?: Map<string, string> }) {
  const maxStd = Math.max(0, ...units.map((u) => u.std));
  return (
    <ul className="grid grid-cols-16 gap-px sm:grid-cols-32" aria-label={`${units.length} units colored by ${stat}`}>
      {units.map((u) => {
        const v = u[stat];
        const label = labels.get(u.unit);
        const described = descriptions?.get(u.unit);
        // "signal 0.612 (inside_quotes)": which signal the best score is against.
        const constant = isConstantUnit(u);
        const shown = `${constant ? "constant, " : ""}${stat} ${v.toFixed(3)}${stat === "signal" && u.signalName ? ` (${u.signalName})` : ""}`;
        return (
          <li key={u.unit}>
            <Link
              href={cellHref(model, u.unit, { scale })}
              className={`block aspect-square rounded-[2px] border ${label ? "border-stone-900" : "border-stone-200"} hover:border-stone-700`}
              style={{ backgroundColor: constant ? CONSTANT_GREY : css(statColor(stat, v, u.kind, scale, maxStd)) }}
              title={`${u.unit}${label ? ` “${label}”` : ""}${described ? ` · ${described}` : ""} · ${shown}`}
              aria-label={`${u.unit}, ${shown}${label ? `, labelled ${label}` : ""}`}
              prefetch={false}
              data-unit={u.unit}
              data-constant={constant ? "" : undefined}
            />
          </li>
        );
      })}
    </ul>
  );
}
