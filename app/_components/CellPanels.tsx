/** The cell page's slower sidebar panels, each streamed in its own Suspense boundary. */
import Link from "next/link";
import { cache } from "react";
import { findCorrelatedUnits } from "@/lib/cells/correlated-units.ts";
import { readCellSnippets, type CellDetail } from "@/lib/cells/get-cell.ts";
import { scoreSignals } from "@/lib/cells/score-signals.ts";
import type { ScaleName } from "@/lib/ui/color.ts";
import { cellHref, searchHref, type ColorMode } from "@/lib/ui/urls.ts";
import { SelectionLink } from "./SelectionLink.tsx";
import { Snippet } from "./Snippet.tsx";
import { fixed, int, signed } from "./format.ts";

export async function SignalScores({ cell, scale }: { cell: CellDetail; scale: ScaleName }) {
  const scores = await scoreSignals(cell.model, cell.unit);
  return (
    <section className="panel" aria-labelledby="signals-title" data-testid="signal-scores">
      <h2 id="signals-title" className="panel-title">
        Against the built-in signals
      </h2>
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-xs text-stone-500">
            <th className="font-normal">signal</th>
            <th className="text-right font-normal">r</th>
            <th className="text-right font-normal">AUC</th>
          </tr>
        </thead>
        <tbody>
          {scores.map((s) => (
            <tr key={s.signal} className={s.r !== null && Math.abs(s.r) >= 0.3 ? "font-semibold" : s.r === null ? "text-stone-400" : ""}>
              <td className="py-0.5 pr-2">
                <Link href={searchHref(cell.model, { signal: s.signal, scale })} className="font-mono text-[13px] underline decoration-stone-300 hover:decoration-stone-700" title={s.problem ?? s.description}>
                  {s.signal}
                </Link>
              </td>
              <td className="num text-right">{s.r === null ? "—" : signed(s.r, 2)}</td>
              <td className="num text-right">{s.auc === null ? "" : fixed(s.auc, 2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-1 text-xs text-stone-500">Pearson r over all {int(cell.recording.chars)} characters; AUC for on/off signals. Click a signal to rank every unit.</p>
    </section>
  );
}

export async function CellSnippets({ cell, scale, mode }: { cell: CellDetail; scale: ScaleName; mode: ColorMode }) {
  if (cell.constant) {
    // Its 50 "highest" and "lowest" offsets would be ties picked by position: say it does not move instead.
    return (
      <section className="panel" aria-labelledby="snippets-title" data-testid="snippets-constant">
        <h2 id="snippets-title" className="panel-title">
          Where it fires
        </h2>
        <p className="text-sm text-stone-600">
          Nowhere: it does not move. Its value stays at {signed(cell.stats.mean, 3)} over all {int(cell.recording.chars)} characters (standard deviation {fixed(cell.stats.std, 4)}).
        </p>
      </section>
    );
  }
  const { top, bottom } = await readCellSnippets(cell, 8, 30);
  const list = (title: string, id: string, items: typeof top) => (
    <div>
      <h3 className="mb-1 text-xs font-semibold text-stone-500" id={id}>
        {title}
      </h3>
      <ul className="space-y-1" aria-labelledby={id} data-testid={id}>
        {items.map((s) => (
          <li key={s.mark[0]} className="flex items-center gap-2">
            <span className="num w-14 shrink-0 text-right text-[11px] text-stone-500">{int(s.mark[0])}</span>
            <span className="min-w-0 flex-1">
              <Snippet snippet={s} kind={cell.kind} scale={scale} href={cellHref(cell.model, cell.unit, { at: s.mark[0], scale, color: mode })} label={`offset ${s.mark[0]}, value ${s.values[s.mark[0] - s.start]}`} />
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
  return (
    <section className="panel space-y-3" aria-labelledby="snippets-title">
      <h2 id="snippets-title" className="panel-title">
        Where it fires
      </h2>
      {list("Highest values", "top-snippets", top)}
      {list("Lowest values", "bottom-snippets", bottom)}
    </section>
  );
}

export function PanelFallback({ title }: { title: string }) {
  return (
    <section className="panel animate-pulse" aria-busy="true">
      <h2 className="panel-title">{title}</h2>
      <div className="h-24 rounded bg-stone-100" />
    </section>
  );
}

/** The units that move most like this one (one ranking per request: the toolbar's link and the panel share it). */
const correlatedWith = cache((model: string, unit: string) => findCorrelatedUnits(model, unit, 5));

/** The compare view of 2–3 units from the cell page: this unit first, at `at`, with the selected character kept as `sel`. */
export function compareHref(model: string, units: string[], opts: { at: number; sel?: number; scale: ScaleName }): string {
  const q = new URLSearchParams({ units: units.join(","), at: String(opts.at) });
  if (opts.sel !== undefined) q.set("sel", String(opts.sel));
  if (opts.scale === "cb") q.set("scale", "cb");
  return `/models/${encodeURIComponent(model)}/compare?${q}`;
}

/** The toolbar's "Compare with correlated units" link: this unit and its two most correlated ones. */
export async function CompareCorrelated({ cell, at, sel, scale }: { cell: CellDetail; at: number; sel?: number; scale: ScaleName }) {
  const best = cell.constant ? [] : (await correlatedWith(cell.model, cell.unit)).slice(0, 2);
  if (!best.length) {
    return (
      <span className="btn opacity-40" title={cell.constant ? "A constant unit correlates with nothing" : "No other unit moves"} data-testid="compare-correlated">
        Compare with correlated
      </span>
    );
  }
  return (
    <SelectionLink href={compareHref(cell.model, [cell.unit, ...best.map((b) => b.unit)], { at, sel, scale })} total={cell.recording.chars} keep="sel" className="btn" title={`With ${best.map((b) => `${b.unit} (r ${signed(b.r, 2)})`).join(" and ")}`} data-testid="compare-correlated">
      Compare with correlated
    </SelectionLink>
  );
}

/** "Moves with": the units whose values correlate most with this one's over the recording. */
export async function CorrelatedUnits({ cell, at, sel, scale, mode }: { cell: CellDetail; at: number; sel?: number; scale: ScaleName; mode: ColorMode }) {
  if (cell.constant) return null;
  const units = await correlatedWith(cell.model, cell.unit);
  return (
    <section className="panel" aria-labelledby="correlated-title" data-testid="correlated-units">
      <h2 id="correlated-title" className="panel-title">
        Moves with
      </h2>
      {units.length ? (
        <>
          <ul className="space-y-0.5 text-sm">
            {units.map((u) => (
              <li key={u.unit} className="flex items-baseline justify-between gap-2">
                <SelectionLink href={cellHref(cell.model, u.unit, { at: sel, scale, color: mode })} total={cell.recording.chars} keep="at" className="font-mono underline" data-testid="correlated-unit">
                  {u.unit}
                </SelectionLink>
                <span className="num text-xs text-stone-600">r {signed(u.r, 2)}</span>
                <SelectionLink href={compareHref(cell.model, [cell.unit, u.unit], { at, sel, scale })} total={cell.recording.chars} keep="sel" className="text-xs underline" aria-label={`Compare ${cell.unit} with ${u.unit}`}>
                  compare
                </SelectionLink>
              </li>
            ))}
          </ul>
          <p className="mt-1 text-xs text-stone-500">Pearson r over all {int(cell.recording.chars)} characters; constant units and this unit’s own cell left out.</p>
        </>
      ) : (
        <p className="text-sm text-stone-500">No other unit of this model moves.</p>
      )}
    </section>
  );
}
