/**
 * The cell page's slower sidebar panels, each streamed in its own Suspense
 * boundary. The page starts their reads together with its own and hands over
 * the promises: awaited one after another, each read queued again behind
 * every other request of a busy server.
 */
import Link from "next/link";
import type { CellDetail } from "@/lib/cells/get-cell.ts";
import type { Snippet as SnippetData } from "@/lib/cells/snippets.ts";
import type { SignalScore } from "@/lib/cells/score-signals.ts";
import type { ScaleName } from "@/lib/ui/color.ts";
import { cellHref, searchHref, type ColorMode } from "@/lib/ui/urls.ts";
import { Snippet } from "./Snippet.tsx";
import { fixed, int, signed } from "./format.ts";

/** `scores`: scoreSignals(cell.model, cell.unit). */
export async function SignalScores({ cell, scale, scores: pending }: { cell: CellDetail; scale: ScaleName; scores: Promise<SignalScore[]> }) {
  const scores = await pending;
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

/** `snippets`: readCellSnippets(cell, 8, 30), or null for a constant unit (it has none worth showing). */
export async function CellSnippets({ cell, scale, mode, snippets }: { cell: CellDetail; scale: ScaleName; mode: ColorMode; snippets: Promise<{ top: SnippetData[]; bottom: SnippetData[] }> | null }) {
  if (cell.constant || !snippets) {
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
  const { top, bottom } = await snippets;
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
