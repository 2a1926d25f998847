/** Compare 2–3 units on the same text, line by line (?units=a,b,c&at=OFFSET&scale=cb). */
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { InputError, NotFoundError } from "@/lib/api/errors.ts";
import { compareUnits, parseUnitList, splitLines } from "@/lib/cells/compare-units.ts";
import { getLabels } from "@/lib/cells/get-labels.ts";
import { loadModel } from "@/lib/models/load-model.ts";
import { css, valueColor, SCALES, type ScaleName } from "@/lib/ui/color.ts";
import { cellHref, decodeUnitParam, first, modelHref, parseOffset, type SearchParamsRecord } from "@/lib/ui/urls.ts";
import { CopyLink } from "@/app/_components/CopyLink.tsx";
import { int, showChar } from "@/app/_components/format.ts";

type Params = Promise<{ model: string }>;

export async function generateMetadata({ params, searchParams }: { params: Params; searchParams: Promise<SearchParamsRecord> }): Promise<Metadata> {
  const id = decodeUnitParam((await params).model);
  return { title: { absolute: `${id} · compare ${first(await searchParams, "units") ?? ""}` } };
}

export default async function ComparePage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParamsRecord> }) {
  await connection();
  const id = decodeUnitParam((await params).model);
  let total: number;
  try {
    total = (await loadModel(id)).rec.chars;
  } catch (e) {
    if (e instanceof NotFoundError || e instanceof InputError) notFound();
    throw e;
  }
  const sp = await searchParams;
  const scaleRaw = first(sp, "scale");
  const scale: ScaleName = (SCALES as readonly string[]).includes(scaleRaw ?? "") ? (scaleRaw as ScaleName) : "rb";
  const unitsRaw = first(sp, "units") ?? "";
  const atRaw = first(sp, "at");
  const atParsed = atRaw ? parseOffset(atRaw) : 0;
  let error: string | null = typeof atParsed === "string" ? `?at=${atRaw}: ${atParsed}` : null;
  const at = typeof atParsed === "number" ? Math.min(atParsed, total - 1) : 0;
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
  const qs = (a: number) => `${action}?${new URLSearchParams({ units: unitsRaw, at: String(a), ...(scale === "cb" ? { scale } : {}) })}`;

  return (
    <main className="mx-auto max-w-6xl space-y-4 px-4 py-4">
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
        {scale === "cb" && <input type="hidden" name="scale" value="cb" />}
        <button type="submit" className="btn">
          Compare
        </button>
        <CopyLink />
      </form>
      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="compare-error">
          {error}
        </p>
      )}
      {rows.length > 0 && (
        <section aria-label="Units on the same text" className="space-y-2">
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
          <div className="overflow-x-auto rounded-md border border-stone-300 bg-white p-3" data-testid="compare-rows">
            {lines.map(([a, b]) => (
              <div key={a} className="mb-1.5">
                {rows.map((r, k) => (
                  <div key={r.unit} className="snip flex font-mono text-[13px] leading-5">
                    <span className="w-4 shrink-0 text-[10px] text-stone-400 select-none">{k + 1}</span>
                    <span>
                      {chars.slice(a, b).map((c, i) => (
                        <span key={i} style={{ backgroundColor: css(valueColor(r.values[a + i], r.kind, scale)) }} title={`${r.unit} · offset ${at + a + i} · ${r.values[a + i].toFixed(3)}`}>
                          {showChar(c)}
                        </span>
                      ))}
                    </span>
                  </div>
                ))}
              </div>
            ))}
          </div>
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
        </section>
      )}
    </main>
  );
}
