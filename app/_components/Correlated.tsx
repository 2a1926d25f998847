"use client";
/**
 * The cell page's "Compare with correlated" button and "Moves with" panel,
 * filled in after the page has loaded from one request both share
 * (GET …/units/U/correlated): ranking every unit against this one costs about
 * as much as rendering the rest of the page, so the server does not wait on it.
 */
import type { Correlated } from "@/lib/cells/correlated-units.ts";
import type { ScaleName } from "@/lib/ui/color.ts";
import { cellHref, compareHref, type ColorMode } from "@/lib/ui/urls.ts";
import { SelectionLink } from "./SelectionLink.tsx";
import { int, signed } from "./format.ts";
import { useFetched } from "./use-fetched.ts";

// One request per unit, shared by the button and the panel.
const useCorrelated = (model: string, unit: string) =>
  useFetched(`/api/models/${encodeURIComponent(model)}/units/${encodeURIComponent(unit)}/correlated`, (b: { correlated: Correlated[] }) => b.correlated);

interface Props {
  model: string;
  unit: string;
  total: number;
  /** Where the compare view opens, and the selected character it keeps. */
  at: number;
  sel?: number;
  scale: ScaleName;
}

/** The toolbar's link: this unit and its two most correlated ones. */
export function CompareCorrelated({ model, unit, total, at, sel, scale, constant }: Props & { constant: boolean }) {
  const s = useCorrelated(model, unit);
  const best = s.status === "done" ? s.value.slice(0, 2) : [];
  if (constant || !best.length) {
    const why = constant ? "A constant unit correlates with nothing" : s.status === "loading" ? "Finding the units that move with this one…" : "No other unit moves";
    return (
      <span className="btn opacity-40" title={why} data-testid="compare-correlated" data-pending={s.status === "loading" && !constant ? "" : undefined}>
        Compare with correlated
      </span>
    );
  }
  return (
    <SelectionLink href={compareHref(model, [unit, ...best.map((b) => b.unit)], { at, sel, scale })} total={total} keep="sel" className="btn" title={`With ${best.map((b) => `${b.unit} (r ${signed(b.r, 2)})`).join(" and ")}`} data-testid="compare-correlated">
      Compare with correlated
    </SelectionLink>
  );
}

/** "Moves with": the units whose values correlate most with this one's over the recording. */
export function CorrelatedUnits({ model, unit, total, at, sel, scale, mode }: Props & { mode: ColorMode }) {
  const s = useCorrelated(model, unit);
  return (
    <section className="panel" aria-labelledby="correlated-title" data-testid="correlated-units" aria-busy={s.status === "loading"}>
      <h2 id="correlated-title" className="panel-title">
        Moves with
      </h2>
      {s.status === "loading" ? (
        <p className="text-sm text-stone-500">Ranking every unit against this one…</p>
      ) : s.status === "failed" ? (
        <p className="text-sm text-red-800">Could not rank the units: {s.message}</p>
      ) : s.value.length ? (
        <>
          <ul className="space-y-0.5 text-sm">
            {s.value.map((u) => (
              <li key={u.unit} className="flex items-baseline justify-between gap-2">
                <SelectionLink href={cellHref(model, u.unit, { at: sel, scale, color: mode })} total={total} keep="at" className="font-mono underline" data-testid="correlated-unit">
                  {u.unit}
                </SelectionLink>
                <span className="num text-xs text-stone-600">r {signed(u.r, 2)}</span>
                <SelectionLink href={compareHref(model, [unit, u.unit], { at, sel, scale })} total={total} keep="sel" className="text-xs underline" aria-label={`Compare ${unit} with ${u.unit}`}>
                  compare
                </SelectionLink>
              </li>
            ))}
          </ul>
          <p className="mt-1 text-xs text-stone-500">Pearson r over all {int(total)} characters; constant units and this unit’s own cell left out.</p>
        </>
      ) : (
        <p className="text-sm text-stone-500">No other unit of this model moves.</p>
      )}
    </section>
  );
}
