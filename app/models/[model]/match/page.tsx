/**
 * Select and match: the units on throughout a span of the recording and off
 * just before it, then every other place where that set of units is on, best
 * overlap first (lib/cells/match-cells.ts). ?from=&to=&threshold=; the cell
 * page's text view links here when a span is selected.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Breadcrumbs } from "@/app/_components/Breadcrumbs.tsx";
import { Snippet } from "@/app/_components/Snippet.tsx";
import { fixed, int } from "@/app/_components/format.ts";
import { InputError, NotFoundError, zodMessage } from "@/lib/api/errors.ts";
import { MAX_MATCH_SPAN } from "@/lib/api/limits.ts";
import { matchCells, MatchQuery, type CellMatchResult } from "@/lib/cells/match-cells.ts";
import { getModelOrNotFound } from "../get-model-or-not-found.ts";
import { cellHref, decodeUnitParam, first, modelHref, parseScale, type SearchParamsRecord } from "@/lib/ui/urls.ts";
import { ZodError } from "zod";

type Params = Promise<{ model: string }>;

export async function generateMetadata({ params, searchParams }: { params: Params; searchParams: Promise<SearchParamsRecord> }): Promise<Metadata> {
  const id = decodeUnitParam((await params).model);
  const sp = await searchParams;
  return { title: { absolute: `${id} · match ${first(sp, "from") ?? ""}–${first(sp, "to") ?? ""}` } };
}

export default async function MatchPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParamsRecord> }) {
  await connection();
  const id = decodeUnitParam((await params).model);
  await getModelOrNotFound(id);
  const sp = await searchParams;
  const scale = parseScale(sp);
  const raw = { from: first(sp, "from") ?? "", to: first(sp, "to") ?? "", threshold: first(sp, "threshold") || undefined };
  let r: CellMatchResult | null = null;
  let problem: string | null = null;
  try {
    r = await matchCells(id, MatchQuery.parse(raw));
  } catch (e) {
    if (e instanceof ZodError) problem = zodMessage(e);
    else if (e instanceof InputError || e instanceof NotFoundError) problem = e.message;
    else throw e;
  }

  return (
    <main className="mx-auto max-w-5xl space-y-4 px-4 py-4">
      <Breadcrumbs trail={[{ label: "models", href: "/" }, { label: id, href: modelHref(id, { scale }), mono: true }, { label: "match" }]} />
      <h1 className="text-xl font-semibold tracking-tight">Where else do these units fire?</h1>
      <p className="text-sm text-stone-600">
        The units on (beyond ± the threshold) at every character of the selection and not just before it, then every other place where that same set is on, ranked by the overlap of the units on there with the set (Jaccard; units on at more than half of the text are left out).
        Select up to {MAX_MATCH_SPAN} characters on a cell page to get here.
      </p>
      <form method="get" className="panel flex flex-wrap items-end gap-2 text-sm" aria-label="Match settings">
        <label className="flex flex-col text-xs text-stone-600">
          from offset
          <input name="from" type="number" min={0} defaultValue={raw.from} className="field mt-0.5 w-28" required />
        </label>
        <label className="flex flex-col text-xs text-stone-600">
          to
          <input name="to" type="number" min={1} defaultValue={raw.to} className="field mt-0.5 w-28" required />
        </label>
        <label className="flex flex-col text-xs text-stone-600">
          threshold
          <input name="threshold" type="number" step="0.05" min="0.05" max="0.95" defaultValue={raw.threshold ?? 0.5} className="field mt-0.5 w-24" />
        </label>
        {scale === "cb" && <input type="hidden" name="scale" value="cb" />}
        <button type="submit" className="btn">
          Match
        </button>
      </form>
      {problem && (
        <p role="alert" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="match-problem">
          {problem}
        </p>
      )}
      {r && (
        <>
          <section className="panel space-y-2" aria-labelledby="selection-title" data-testid="match-selection">
            <h2 id="selection-title" className="panel-title">
              The selection: offsets {int(r.from)}–{int(r.to - 1)}
            </h2>
            <Snippet snippet={r.span} kind="h" scale={scale} />
            {r.selected.length ? (
              <p className="text-sm" data-testid="match-units">
                {r.selected.length} unit{r.selected.length === 1 ? "" : "s"} on throughout:{" "}
                {r.selected.map((u, i) => (
                  <span key={`${u.unit}${u.sign}`}>
                    {i > 0 && ", "}
                    <Link href={cellHref(id, u.unit, { at: r!.from, scale })} className="font-mono underline" prefetch={false}>
                      {u.unit}
                    </Link>
                    <span className="text-stone-500">{u.sign > 0 ? ` ≥ +${r!.threshold}` : ` ≤ −${r!.threshold}`}</span>
                  </span>
                ))}
                <span className="block text-xs text-stone-500">
                  {int(r.onBefore)} more were on throughout but also just before it; {int(r.alwaysOn)} are on almost everywhere. Overlap in the selection: {fixed(r.spanJaccard, 3)}; matches reach {fixed(r.minJaccard, 3)} or more. {int(r.tookMs)} ms.
                </span>
              </p>
            ) : (
              <p className="text-sm text-stone-700" data-testid="match-none">
                No unit is on (beyond ±{r.threshold}) at every character of the selection without being on just before it: select fewer characters, or lower the threshold.
              </p>
            )}
          </section>
          {r.selected.length > 0 && (
            <section aria-labelledby="matches-title" className="space-y-2">
              <h2 id="matches-title" className="text-sm text-stone-600">
                {r.matches.length ? `The ${r.matches.length} best matches, colored by overlap (blue: as much of the set on as in the selection)` : "No other place has that set on."}
              </h2>
              <ol className="space-y-1.5" data-testid="match-results">
                {r.matches.map((m) => (
                  <li key={m.start} className="flex items-center gap-2">
                    <span className="num w-28 shrink-0 text-right text-xs text-stone-500">
                      {int(m.start)} · J {fixed(m.meanJaccard, 3)}
                    </span>
                    <span className="min-w-0 flex-1">
                      <Snippet snippet={m.preview} kind="h" scale={scale} href={cellHref(id, r!.selected[0].unit, { at: m.start, scale })} label={`match at offset ${m.start}, overlap ${m.meanJaccard}`} />
                    </span>
                  </li>
                ))}
              </ol>
            </section>
          )}
        </>
      )}
      {!r && !problem && <p className="text-sm text-stone-500">Give a span of the recording.</p>}
    </main>
  );
}
