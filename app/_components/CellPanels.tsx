"use client";
/**
 * The cell page's panels of snippets ("Where it fires") and signal scores,
 * filled in after the page has loaded from one request both share
 * (GET …/units/U?snippets=8). Rendered on the server they were about a
 * quarter of a cell page's CPU (measured: 52 → 66 pages/s on one worker
 * without them), which under 32 connections is what every page waited behind;
 * the text, the statistics and the label still come with the page.
 */
import type { Snippet as SnippetData } from "@/lib/cells/snippets.ts";
import type { SignalScore } from "@/lib/cells/score-signals.ts";
import type { ScaleName } from "@/lib/ui/color.ts";
import Link from "next/link";
import { cellHref, searchHref, type ColorMode } from "@/lib/ui/urls.ts";
import { Snippet } from "./Snippet.tsx";
import { fixed, int, signed } from "./format.ts";
import { useFetched, type Fetched } from "./use-fetched.ts";

/** How many snippets of each end the panel shows. */
const SNIPPETS = 8;

interface Details {
  snippets: { top: SnippetData[]; bottom: SnippetData[] };
  signals: SignalScore[];
}

const useDetails = (model: string, unit: string): Fetched<Details> =>
  useFetched(`/api/models/${encodeURIComponent(model)}/units/${encodeURIComponent(unit)}?snippets=${SNIPPETS}`, (b: Details) => b);

/** The panel while its request is out, or what went wrong with it. */
function Pending({ title, state }: { title: string; state: Fetched<unknown> }) {
  if (state.status === "failed") {
    return (
      <section className="panel" aria-live="polite">
        <h2 className="panel-title">{title}</h2>
        <p className="text-sm text-red-800">Could not load this panel: {state.message}</p>
      </section>
    );
  }
  return <PanelFallback title={title} />;
}

export function SignalScores({ model, unit, chars, scale }: { model: string; unit: string; chars: number; scale: ScaleName }) {
  const state = useDetails(model, unit);
  if (state.status !== "done") return <Pending title="Against the built-in signals" state={state} />;
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
          {state.value.signals.map((s) => (
            <tr key={s.signal} className={s.r !== null && Math.abs(s.r) >= 0.3 ? "font-semibold" : s.r === null ? "text-stone-400" : ""}>
              <td className="py-0.5 pr-2">
                <Link href={searchHref(model, { signal: s.signal, scale })} className="font-mono text-[13px] underline decoration-stone-300 hover:decoration-stone-700" title={s.problem ?? s.description} prefetch={false}>
                  {s.signal}
                </Link>
              </td>
              <td className="num text-right">{s.r === null ? "—" : signed(s.r, 2)}</td>
              <td className="num text-right">{s.auc === null ? "" : fixed(s.auc, 2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-1 text-xs text-stone-500">Pearson r over all {int(chars)} characters; AUC for on/off signals. Click a signal to rank every unit.</p>
    </section>
  );
}

interface SnippetProps {
  model: string;
  unit: string;
  kind: string;
  chars: number;
  scale: ScaleName;
  mode: ColorMode;
  /** A constant unit's value and spread: it has no snippets worth showing (its 50 "highest" and "lowest" offsets would be ties picked by position). */
  constant: { mean: number; std: number } | null;
}

export function CellSnippets({ constant, ...p }: SnippetProps) {
  if (constant) {
    return (
      <section className="panel" aria-labelledby="snippets-title" data-testid="snippets-constant">
        <h2 id="snippets-title" className="panel-title">
          Where it fires
        </h2>
        <p className="text-sm text-stone-600">
          Nowhere: it does not move. Its value stays at {signed(constant.mean, 3)} over all {int(p.chars)} characters (standard deviation {fixed(constant.std, 4)}).
        </p>
      </section>
    );
  }
  return <MovingSnippets {...p} />;
}

function MovingSnippets({ model, unit, kind, scale, mode }: Omit<SnippetProps, "constant">) {
  const state = useDetails(model, unit);
  if (state.status !== "done") return <Pending title="Where it fires" state={state} />;
  const { top, bottom } = state.value.snippets;
  const list = (title: string, id: string, items: SnippetData[]) => (
    <div>
      <h3 className="mb-1 text-xs font-semibold text-stone-500" id={id}>
        {title}
      </h3>
      <ul className="space-y-1" aria-labelledby={id} data-testid={id}>
        {items.map((s) => (
          <li key={s.mark[0]} className="flex items-center gap-2">
            <span className="num w-14 shrink-0 text-right text-[11px] text-stone-500">{int(s.mark[0])}</span>
            <span className="min-w-0 flex-1">
              <Snippet snippet={s} kind={kind} scale={scale} href={cellHref(model, unit, { at: s.mark[0], scale, color: mode })} label={`offset ${s.mark[0]}, value ${s.values[s.mark[0] - s.start]}`} />
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
