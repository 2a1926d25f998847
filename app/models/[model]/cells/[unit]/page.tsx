/**
 * The cell page: the recorded text colored by one unit, with its statistics,
 * where it fires, how it scores against the built-in signals, and (with ?at=)
 * the inspector for one character. State lives in the URL: ?at=OFFSET,
 * ?scale=cb (color-blind-safe scale), ?color=surprise. Without ?at= it opens
 * where the unit varies most (lib/cells/telling-stretch.ts) and says so.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import type { CellDetail } from "@/lib/cells/get-cell.ts";
import { readActivations } from "@/lib/cells/read-activations.ts";
import { findCellStretch, type Stretch } from "@/lib/cells/telling-stretch.ts";
import { isReadOnly } from "@/lib/cells/set-label.ts";
import { listCollectionsForUnit } from "@/lib/collections/list-collections.ts";
import { cellHref, compareStart, decodeUnitParam, knockoutHref, modelHref, parseCellView, searchHref, textWindow, tryHref, type CellView, type SearchParamsRecord } from "@/lib/ui/urls.ts";
import { AddToCollection } from "@/app/_components/AddToCollection.tsx";
import { CellKeys } from "@/app/_components/CellKeys.tsx";
import { CellSnippets, SignalScores } from "@/app/_components/CellPanels.tsx";
import { CompareCorrelated, CorrelatedUnits } from "@/app/_components/Correlated.tsx";
import { CopyLink } from "@/app/_components/CopyLink.tsx";
import { EmbedMenu } from "@/app/_components/EmbedMenu.tsx";
import { SelectionLink } from "@/app/_components/SelectionLink.tsx";
import { Histogram } from "@/app/_components/Histogram.tsx";
import { CellInspector } from "@/app/_components/CellInspector.tsx";
import { LabelEditor } from "@/app/_components/LabelEditor.tsx";
import { Legend } from "@/app/_components/Legend.tsx";
import { TextView } from "@/app/_components/TextView.tsx";
import { fixed, int, kindLabel, pct, signed } from "@/app/_components/format.ts";
import { isSigned } from "@/lib/model/unit-kinds.ts";
import { loadCell } from "./load-cell.ts";

type Params = Promise<{ model: string; unit: string }>;

/** "quote detector" (the user's label), else "inside_quotes detector" (a built-in signal it was found best for). */
function nickname(cell: CellDetail): string | null {
  if (cell.label) return cell.label.label;
  const d = cell.detectorFor[0];
  return d ? `${d.signal} detector` : null;
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  await connection();
  const p = await params;
  const model = decodeUnitParam(p.model), unit = decodeUnitParam(p.unit);
  const { cell } = await loadCell(model, unit);
  if (!cell) return { title: "Not found" };
  const title = [model, unit, nickname(cell)].filter(Boolean).join(" · ");
  const description = `Unit ${unit} (${kindLabel(cell.kind)}, layer ${cell.layer}) of ${model}: the text colored by its value, its statistics and what it tracks.`;
  return { title: { absolute: title }, description, openGraph: { title, description, type: "website", siteName: "Cellscope" } };
}

function Toggle({ href, total, current, children }: { href: string; total: number; current: boolean; children: React.ReactNode }) {
  return (
    <SelectionLink href={href} total={total} keep="at" className="btn" aria-current={current ? "true" : undefined} scroll={false}>
      {children}
    </SelectionLink>
  );
}

export default async function CellPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParamsRecord> }) {
  await connection();
  const p = await params;
  const model = decodeUnitParam(p.model), unit = decodeUnitParam(p.unit);
  const { cell } = await loadCell(model, unit);
  if (!cell) notFound(); // ./not-found.tsx says why
  const parsed = parseCellView(await searchParams);
  const total = cell.recording.chars;
  let view: CellView = parsed.view;
  let problem = parsed.problem;
  if (view.at !== undefined && view.at >= total) {
    problem = `offset ${int(view.at)} is past the end of the recording (${int(total)} characters, offsets 0 to ${int(total - 1)}); showing ${cell.constant ? "the start" : "where this unit changes most"}`;
    view = { ...view, at: undefined };
  }
  // No character asked for: open where the unit varies most (a constant unit: at the start).
  const readOnly = isReadOnly();
  const opening: Stretch | null = view.at === undefined && !cell.constant ? await findCellStretch(model, unit) : null;
  const win = textWindow(view.at ?? opening?.start, total);
  // With no character selected, the text view opens at its first character: the stretch's start.
  const range = opening ? { start: Math.max(win.start, opening.start), end: win.end } : win;
  const acts = await readActivations(model, unit, range, { surprise: view.color === "surprise", packed: true });
  const { all: collections, holding: memberships } = listCollectionsForUnit(model, unit);
  // The compare view: from a little before the selected character, else from where this unit varies most.
  const compareAt = view.at !== undefined ? compareStart(view.at) : (opening?.start ?? 0);
  // The knock-out map covers 3,000 characters from a little before the selection, else where this unit varies most.
  const knockFrom = view.at !== undefined ? Math.max(0, view.at - 500) : (opening?.start ?? 0);
  const here = (v: Partial<CellView>) => cellHref(model, unit, { ...view, ...v });
  const name = nickname(cell);
  const s = cell.stats;
  const searchId = "cell-search";

  return (
    <main className="mx-auto max-w-7xl px-4 py-4">
      <CellKeys model={model} kind={cell.kind} layer={cell.layer} index={cell.index} hidden={cell.hidden} constant={cell.constantIndices} view={view} searchId={searchId} />
      <nav aria-label="Breadcrumb" className="mb-2 flex flex-wrap gap-1 text-sm text-stone-500">
        <Link href="/" className="hover:underline">
          models
        </Link>
        <span aria-hidden="true">/</span>
        <Link href={modelHref(model, { scale: view.scale })} className="font-mono hover:underline">
          {model}
        </Link>
        <span aria-hidden="true">/</span>
        <span className="font-mono text-stone-800" aria-current="page">
          {unit}
        </span>
      </nav>

      <header className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="font-mono text-2xl font-semibold tracking-tight" data-testid="cell-title">
            {unit}
            {name && <span className="ml-3 font-sans text-lg font-normal text-stone-600">{name}</span>}
          </h1>
          <p className="text-sm text-stone-500">
            {kindLabel(cell.kind)} · layer {cell.layer} · unit {cell.index} of {model}
          </p>
          {cell.description && (
            <p className="max-w-3xl text-sm text-stone-700" data-testid="unit-description" title="Made from its strongest built-in signals and the text at its 50 highest and lowest values">
              <span className="text-stone-500">Reads as: </span>
              {cell.description}
            </p>
          )}
        </div>
        <form action={`/models/${encodeURIComponent(model)}/search`} method="get" role="search" className="flex items-center gap-1">
          <label htmlFor={searchId} className="sr-only">
            Search units by regular expression
          </label>
          <input id={searchId} name="q" className="field w-48 sm:w-64" placeholder='regex, e.g. "[^"]*"   ( / )' autoComplete="off" spellCheck={false} />
          {view.scale === "cb" && <input type="hidden" name="scale" value="cb" />}
          <button type="submit" className="btn">
            Search
          </button>
        </form>
      </header>

      <div className="mb-3 flex flex-wrap items-center gap-2" role="toolbar" aria-label="View">
        <span className="flex gap-1">
          {cell.prev ? (
            <SelectionLink href={cellHref(model, cell.prev, view)} total={total} keep="at" className="btn" rel="prev" data-testid="prev-unit" scroll={false} title="Previous unit that moves (K: previous unit, constant or not)">
              ← {cell.prev} <kbd className="text-[10px] text-stone-400">k</kbd>
            </SelectionLink>
          ) : (
            <span className="btn opacity-40">← first</span>
          )}
          {cell.next ? (
            <SelectionLink href={cellHref(model, cell.next, view)} total={total} keep="at" className="btn" rel="next" data-testid="next-unit" scroll={false} title="Next unit that moves (J: next unit, constant or not)">
              {cell.next} → <kbd className="text-[10px] text-stone-400">j</kbd>
            </SelectionLink>
          ) : (
            <span className="btn opacity-40">last →</span>
          )}
        </span>
        <span className="flex gap-1" role="group" aria-label="Color">
          <Toggle href={here({ color: "unit" })} total={total} current={view.color === "unit"}>
            by unit
          </Toggle>
          <Toggle href={here({ color: "surprise" })} total={total} current={view.color === "surprise"}>
            by surprise
          </Toggle>
        </span>
        {/* By surprise the text is yellow to red whatever the scale: the scale then only colors the snippets, and no button claims the text. */}
        <span className="flex gap-1" role="group" aria-label={view.color === "surprise" ? "Color scale of the snippets (the text is colored by surprise)" : "Color scale"}>
          <Toggle href={here({ scale: "rb" })} total={total} current={view.color === "unit" && view.scale === "rb"}>
            red–blue
          </Toggle>
          <Toggle href={here({ scale: "cb" })} total={total} current={view.color === "unit" && view.scale === "cb"}>
            orange–purple
          </Toggle>
        </span>
        <CompareCorrelated model={model} unit={unit} total={total} constant={cell.constant} at={compareAt} sel={view.at} scale={view.scale} />
        <Link href={`/models/${encodeURIComponent(model)}/sample?unit=${unit}${view.scale === "cb" ? "&scale=cb" : ""}`} className="btn">
          Sample
        </Link>
        <Link href={tryHref(model, { unit, scale: view.scale })} className="btn" prefetch={false} title="Run the model over a text of your own, colored by this unit" data-testid="try-link">
          Your own text
        </Link>
        {!cell.constant && (
          <Link href={knockoutHref(model, unit, { from: knockFrom, to: Math.min(total, knockFrom + 3000), scale: view.scale })} className="btn" prefetch={false} title="Run the model again with this unit held at 0: where does the loss rise?" data-testid="knockout-link">
            Knock it out
          </Link>
        )}
        <EmbedMenu model={model} unit={unit} from={range.start} to={Math.min(total, range.start + 1000)} scale={view.scale} />
        <CopyLink />
      </div>

      {cell.constant && (
        <p className="mb-3 rounded border border-stone-300 bg-stone-100 px-3 py-2 text-sm text-stone-800" data-testid="constant-banner">
          <strong>Constant at {signed(cell.stats.mean, 2)}:</strong> this unit does not move (standard deviation {fixed(cell.stats.std, 4)} over {int(total)} characters), so it carries nothing. <kbd>j</kbd> / <kbd>k</kbd> skip such units; <kbd>J</kbd> / <kbd>K</kbd> step through every one.
        </p>
      )}
      {opening && (
        <p className="mb-3 text-sm text-stone-600" data-testid="opening-note">
          Showing offsets {int(opening.start)}–{int(opening.end - 1)}, where this unit changes most ·{" "}
          <Link href={here({ at: 0 })} className="underline" scroll={false}>
            start of the text
          </Link>
        </p>
      )}
      {problem && (
        <p role="alert" className="mb-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="view-problem">
          {problem}
        </p>
      )}

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_380px]">
        <section aria-label="Text" className="min-w-0 space-y-2">
          <Legend kind={cell.kind} scale={view.scale} mode={view.color} />
          <TextView
            key={`${unit}|${view.color}`}
            model={model}
            recording={cell.recording.id}
            unit={unit}
            kind={cell.kind}
            scale={view.scale}
            mode={view.color}
            initial={{ start: acts.start, text: acts.text, packed: acts.packed!, surprise: acts.surprise }}
            total={total}
          />
          <div className="flex flex-wrap items-center justify-end gap-2 text-sm">
            <form method="get" action={cellHref(model, unit)} className="flex items-center gap-1">
              <label htmlFor="jump-at" className="text-stone-600">
                Jump to offset
              </label>
              <input id="jump-at" name="at" type="number" min={0} max={total - 1} step={1} defaultValue={view.at} className="field w-28" required />
              {view.scale === "cb" && <input type="hidden" name="scale" value="cb" />}
              {view.color === "surprise" && <input type="hidden" name="color" value="surprise" />}
              <button type="submit" className="btn">
                Go
              </button>
            </form>
          </div>
        </section>

        <aside className="min-w-0 space-y-3" aria-label="About this unit">
          {/* Follows the selection (?at=) in the browser: the server renders no inspector (it was most of a cell page's time under load). */}
          <CellInspector model={model} recording={cell.recording.id} unit={unit} scale={view.scale} mode={view.color} total={total} />

          <section className="panel" aria-labelledby="label-title">
            <h2 id="label-title" className="panel-title">
              Label
            </h2>
            {cell.label ? (
              <div className="mb-2" data-testid="unit-label">
                <p className="font-medium">{cell.label.label}</p>
                {cell.label.note && <p className="text-sm whitespace-pre-wrap text-stone-600">{cell.label.note}</p>}
              </div>
            ) : (
              <p className="mb-2 text-sm text-stone-500">No label yet.</p>
            )}
            {cell.detectorFor.length > 0 && (
              <p className="mb-2 text-sm text-stone-600">
                Best unit of this model for{" "}
                {cell.detectorFor.map((d, i) => (
                  <span key={d.signal}>
                    {i > 0 && ", "}
                    <Link href={searchHref(model, { signal: d.signal, scale: view.scale })} className="font-mono underline">
                      {d.signal}
                    </Link>{" "}
                    <span className="num text-xs">
                      (r {signed(d.r, 2)}
                      {d.auc !== null && `, AUC ${fixed(d.auc, 2)}`})
                    </span>
                  </span>
                ))}
              </p>
            )}
            {!readOnly && <LabelEditor model={model} unit={unit} label={cell.label?.label ?? null} note={cell.label?.note ?? ""} />}
          </section>

          <section className="panel" aria-labelledby="collections-title" data-testid="unit-collections">
            <h2 id="collections-title" className="panel-title">
              Collections
            </h2>
            {memberships.length > 0 ? (
              <ul className="mb-2 space-y-1 text-sm">
                {memberships.map((m) => (
                  <li key={m.slug} className="break-words">
                    <Link href={`/collections/${m.slug}`} className="underline">
                      {m.title}
                    </Link>
                    {m.note && <span className="whitespace-pre-wrap text-stone-600"> — {m.note}</span>}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mb-2 text-sm text-stone-500">
                In no <Link href="/collections" className="underline">collection</Link> yet.
              </p>
            )}
            {!readOnly && <AddToCollection model={model} unit={unit} collections={collections} />}
          </section>

          <section className="panel" aria-labelledby="stats-title" data-testid="unit-stats">
            <h2 id="stats-title" className="panel-title">
              Statistics
            </h2>
            <dl className="grid grid-cols-4 gap-x-2 gap-y-1 text-sm">
              {(
                [
                  ["mean", signed(s.mean)],
                  ["std", fixed(s.std)],
                  ["min", signed(s.min)],
                  ["max", signed(s.max)],
                  ["median", signed(s.quantiles[3])],
                  ["q05", signed(s.quantiles[1])],
                  ["q95", signed(s.quantiles[5])],
                  [isSigned(cell.kind) ? "|v|>.9" : "<0.1", isSigned(cell.kind) ? "" : pct(s.satLeft)],
                ] as const
              )
                .filter(([, v]) => v !== "")
                .map(([k, v]) => (
                  <div key={k}>
                    <dt className="text-[11px] text-stone-500">{k}</dt>
                    <dd className="num">{v}</dd>
                  </div>
                ))}
              {!isSigned(cell.kind) && (
                <div>
                  <dt className="text-[11px] text-stone-500">&gt;0.9</dt>
                  <dd className="num">{pct(s.satRight)}</dd>
                </div>
              )}
            </dl>
            <div className="mt-2">
              <Histogram bins={s.histogram} range={s.range} title={`Histogram of ${unit}'s values over ${int(total)} characters`} />
            </div>
          </section>

          {/* These three follow in the browser: rendered here they were a third of the page's time under load (CellPanels.tsx). */}
          <CellSnippets model={model} unit={unit} kind={cell.kind} chars={total} scale={view.scale} mode={view.color} constant={cell.constant ? { mean: s.mean, std: s.std } : null} />
          {!cell.constant && <CorrelatedUnits model={model} unit={unit} total={total} at={compareAt} sel={view.at} scale={view.scale} mode={view.color} />}
          <SignalScores model={model} unit={unit} chars={total} scale={view.scale} />
        </aside>
      </div>
    </main>
  );
}
