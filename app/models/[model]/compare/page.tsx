/**
 * Compare 2–3 units on the same text, line by line
 * (?units=a,b,c&at=OFFSET&scale=cb); clicking a character selects it
 * (&sel=OFFSET) and opens the inspector there.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Suspense } from "react";
import { InputError, NotFoundError } from "@/lib/api/errors.ts";
import { compareUnits, parseUnitList, splitLines } from "@/lib/cells/compare-units.ts";
import { getLabels } from "@/lib/cells/get-labels.ts";
import { getModelOrNotFound } from "../get-model-or-not-found.ts";
import { css, valueColor } from "@/lib/ui/color.ts";
import { pageMeta } from "@/lib/ui/page-meta.ts";
import { cellHref, decodeUnitParam, first, modelHref, parseOffset, parseScale, type SearchParamsRecord } from "@/lib/ui/urls.ts";
import { CompareClicks } from "@/app/_components/CompareClicks.tsx";
import { PanelFallback } from "@/app/_components/CellPanels.tsx";
import { CopyLink } from "@/app/_components/CopyLink.tsx";
import { Legends } from "@/app/_components/Legend.tsx";
import { Inspector } from "@/app/_components/Inspector.tsx";
import { int, showChar } from "@/app/_components/format.ts";

type Params = Promise<{ model: string }>;

export async function generateMetadata({ params, searchParams }: { params: Params; searchParams: Promise<SearchParamsRecord> }): Promise<Metadata> {
  const id = decodeUnitParam((await params).model);
  const units = (first(await searchParams, "units") ?? "").split(/[\s,]+/).filter(Boolean).slice(0, 3).map((u) => u.slice(0, 20));
  return pageMeta(`${id} · compare ${units.join(", ")}`.trim(), units.length ? `Units ${units.join(", ")} of ${id} over the same text, one colored row each.` : `Two or three units of ${id} over the same text, one colored row each.`);
}

export default async function ComparePage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParamsRecord> }) {
  await connection();
  const id = decodeUnitParam((await params).model);
  const total = (await getModelOrNotFound(id)).rec.chars;
  const sp = await searchParams;
  const scale = parseScale(sp);
  const unitsRaw = first(sp, "units") ?? "";
  const atRaw = first(sp, "at");
  const atParsed = atRaw ? parseOffset(atRaw) : 0;
  let error: string | null = typeof atParsed === "string" ? `?at=${atRaw}: ${atParsed}` : null;
  const at = typeof atParsed === "number" ? Math.min(atParsed, total - 1) : 0;
  const selRaw = first(sp, "sel");
  const selParsed = selRaw ? parseOffset(selRaw) : undefined;
  // A bad selection is explained but doesn't stop the comparison.
  const selError =
    typeof selParsed === "string" ? `?sel=${selRaw!.slice(0, 40)}: ${selParsed}` : selParsed !== undefined && selParsed >= total ? `?sel=${int(selParsed)} is past the end of the recording (${int(total)} characters)` : null;
  const sel = typeof selParsed === "number" && selParsed < total ? selParsed : undefined;
  let rows: Awaited<ReturnType<typeof compareUnits>> = [];
  if (!error && unitsRaw) {
    try {
      rows = await compareUnits(id, parseUnitList(unitsRaw), at);
    } catch (e) {
      if (e instanceof NotFoundError || e instanceof InputError) error = e.message;
      else throw e;
    }
  }
  const labels = rows.length ? await getLabels(id, rows.map((r) => r.unit)) : new Map<string, { label: string }>();
  const chars = rows.length ? Array.from(rows[0].text) : [];
  const lines = splitLines(chars);
  const end = rows.length ? rows[0].end : at;
  const action = `/models/${encodeURIComponent(id)}/compare`;
  const qs = (a: number, s = sel) => `${action}?${new URLSearchParams({ units: unitsRaw, at: String(a), ...(scale === "cb" ? { scale } : {}), ...(s !== undefined ? { sel: String(s) } : {}) })}`;

  return (
    <main className="mx-auto max-w-7xl space-y-4 px-4 py-4">
      <nav aria-label="Breadcrumb" className="flex flex-wrap gap-1 text-sm text-stone-500">
        <Link href="/" className="hover:underline">
          models
        </Link>
        <span aria-hidden="true">/</span>
        <Link href={modelHref(id, { scale })} className="font-mono hover:underline">
          {id}
        </Link>
        <span aria-hidden="true">/</span>
        <span className="text-stone-800" aria-current="page">
          compare
        </span>
      </nav>
      <h1 className="text-xl font-semibold tracking-tight">Compare units</h1>
      <form action={action} method="get" className="panel flex flex-wrap items-end gap-2">
        <label className="text-xs text-stone-600">
          Units (2–3, comma-separated)
          <input name="units" defaultValue={unitsRaw} className="field mt-0.5 block w-64" placeholder="h:1:5, h:1:6" required spellCheck={false} />
        </label>
        <label className="text-xs text-stone-600">
          From offset
          <input name="at" type="number" min={0} max={total - 1} defaultValue={at} className="field mt-0.5 block w-28" />
        </label>
        <label className="text-xs text-stone-600">
          Inspect offset
          <input name="sel" type="number" min={0} max={total - 1} defaultValue={sel} className="field mt-0.5 block w-28" placeholder="click a character" />
        </label>
        {scale === "cb" && <input type="hidden" name="scale" value="cb" />}
        <button type="submit" className="btn">
          Compare
        </button>
        <CopyLink />
      </form>
      {(error || selError) && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="compare-error">
          {[error, selError].filter(Boolean).join("; ")}
        </p>
      )}
      {rows.length > 0 && (
        <section aria-label="Units on the same text" className="space-y-2">
          <Legends units={rows.map((r) => r.unit)} scale={scale} />
          <ul className="flex flex-wrap gap-3 text-sm">
            {rows.map((r, k) => (
              <li key={r.unit}>
                <span className="mr-1 font-mono text-xs text-stone-400">{k + 1}</span>
                <Link href={cellHref(id, r.unit, { at, scale })} className="font-mono underline">
                  {r.unit}
                </Link>
                {labels.get(r.unit) && (
                  <span className="ml-1 text-stone-600" data-testid="compare-label">
                    {labels.get(r.unit)!.label}
                  </span>
                )}
              </li>
            ))}
          </ul>
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_340px]">
            <div className="min-w-0 space-y-2">
              <CompareClicks base={qs(at)}>
                {lines.map(([a, b]) => (
                  <div key={a} className="mb-1.5">
                    {rows.map((r, k) => (
                      <div key={r.unit} className="snip flex font-mono text-[13px] leading-5">
                        <span className="w-4 shrink-0 text-[10px] text-stone-400 select-none">{k + 1}</span>
                        <span>
                          {chars.slice(a, b).map((c, i) => (
                            <span
                              key={i}
                              style={{ backgroundColor: css(valueColor(r.values[a + i], r.kind, scale)) }}
                              title={`${r.unit} · offset ${at + a + i} · ${r.values[a + i].toFixed(3)}`}
                              data-o={at + a + i}
                              aria-current={at + a + i === sel ? "true" : undefined}
                              className={at + a + i === sel ? "outline-2 outline-stone-900" : undefined}
                            >
                              {showChar(c)}
                            </span>
                          ))}
                        </span>
                      </div>
                    ))}
                  </div>
                ))}
              </CompareClicks>
              <div className="flex items-center justify-between text-sm">
                {at > 0 ? (
                  <Link className="btn" href={qs(Math.max(0, at - 1600))}>
                    ← earlier
                  </Link>
                ) : (
                  <span />
                )}
                <span className="num text-xs text-stone-500">
                  {int(at)}–{int(end - 1)} of {int(total)}
                </span>
                {end < total ? (
                  <Link className="btn" href={qs(end)}>
                    later →
                  </Link>
                ) : (
                  <span />
                )}
              </div>
            </div>
            {/* Beside the text on wide screens, kept in view while it scrolls; below it on narrow ones. */}
            <aside className="min-w-0 lg:sticky lg:top-2 lg:self-start" aria-label="Inspector">
              {sel !== undefined ? (
                <Suspense key={sel} fallback={<PanelFallback title={`Inspector · offset ${int(sel)}`} />}>
                  <Inspector model={id} unit={rows[0].unit} at={sel} scale={scale} mode="unit" />
                </Suspense>
              ) : (
                <p className="panel text-sm text-stone-600" data-testid="inspector-hint">
                  Click a character to see every unit at it and the model’s guesses for the next one.
                </p>
              )}
            </aside>
          </div>
        </section>
      )}
    </main>
  );
}
