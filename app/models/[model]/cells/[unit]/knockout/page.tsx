/**
 * A unit's knock-out map: the stretch of text colored by how much the loss of
 * predicting each character rises (red) or falls (blue) when the unit is held
 * at a value, with the totals and the characters it helped most
 * (lib/cells/knock-out.ts). State in the URL: ?from=&to=&value=zero|mean|X.
 * The runs take seconds: the page's frame comes at once, the map streams in.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Suspense } from "react";
import { z } from "zod";
import { Breadcrumbs } from "@/app/_components/Breadcrumbs.tsx";
import { PanelFallback } from "@/app/_components/CellPanels.tsx";
import { fixed, int, kindLabel, signed } from "@/app/_components/format.ts";
import { MAX_KNOCKOUT_CHARS } from "@/lib/api/limits.ts";
import { HoldValue, knockOut } from "@/lib/cells/knock-out.ts";
import { css, divergingColor, gradientCss, SCALES, type ScaleName } from "@/lib/ui/color.ts";
import { showChar } from "@/lib/ui/text-html.ts";
import { cellHref, decodeUnitParam, knockoutHref, modelHref, type SearchParamsRecord } from "@/lib/ui/urls.ts";
import { loadCell } from "../load-cell.ts";

type Params = Promise<{ model: string; unit: string }>;

/** Change in loss (nats) at which the map's color is at full strength. */
const FULL_NATS = 1;
const DEFAULT_CHARS = 3000;

const View = z.object({
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(1).optional(),
  value: HoldValue.default("zero"),
  scale: z.enum(SCALES).catch("rb").default("rb"),
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const p = await params;
  const title = `${decodeUnitParam(p.model)} · ${decodeUnitParam(p.unit)} knocked out`;
  return { title: { absolute: title }, openGraph: { title, siteName: "Cellscope" } };
}

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

async function KnockOutMap({ model, unit, from, to, value, scale }: { model: string; unit: string; from: number; to: number; value: z.infer<typeof HoldValue>; scale: ScaleName }) {
  let r;
  try {
    r = await knockOut(model, unit, { from, to, value });
  } catch (e) {
    return (
      <p role="alert" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="knockout-problem">
        {(e as Error).message}
      </p>
    );
  }
  const chars = Array.from(r.text);
  // More loss when held (the unit was helping) is red: the negative end of the scale.
  let html = "";
  chars.forEach((c, i) => {
    const d = r.delta[i];
    const shown = c === "\n" ? "↵\n" : showChar(c);
    html += `<span${d === null ? "" : ` title="${r.from + i}: ${d >= 0 ? "+" : ""}${d.toFixed(3)} nats"`} style="background:${css(divergingColor(d === null ? NaN : Math.max(-1, Math.min(1, -d / FULL_NATS)), scale))}">${ESC[shown] ?? shown}</span>`;
  });
  const change = r.nats.held - r.nats.free;
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_320px]">
      <section aria-label="Knock-out map" className="min-w-0 space-y-2">
        <figure className="flex flex-wrap items-center gap-2 text-xs text-stone-600" data-testid="legend">
          <span>loss rises ≥ {FULL_NATS} nat</span>
          <span className="h-3 w-40 rounded-sm border border-stone-300" style={{ background: gradientCss((t) => divergingColor(t * 2 - 1, scale)) }} />
          <span>falls ≥ {FULL_NATS} nat</span>
          <figcaption className="text-stone-500">{scale === "cb" ? "orange" : "red"}: with the unit held the character is harder to predict, so the unit was helping there</figcaption>
        </figure>
        <div className="max-h-[68vh] overflow-y-auto rounded-md border border-stone-300 bg-white p-3 font-mono text-[14px] leading-[1.6] break-all whitespace-pre-wrap" data-testid="knockout-map" dangerouslySetInnerHTML={{ __html: html }} />
      </section>
      <aside className="space-y-3" aria-label="Summary">
        <section className="panel" data-testid="knockout-summary">
          <h2 className="panel-title">Loss over {int(r.to - r.from)} characters</h2>
          <dl className="grid grid-cols-2 gap-y-1 text-sm">
            <dt className="text-stone-500">free</dt>
            <dd className="num">{fixed(r.nats.free, 4)} nats/char</dd>
            <dt className="text-stone-500">held at {signed(r.value, 3)}</dt>
            <dd className="num">{fixed(r.nats.held, 4)} nats/char</dd>
            <dt className="text-stone-500">change</dt>
            <dd className="num font-semibold" data-testid="knockout-change">
              {signed(change, 4)} ({signed(r.total, 1)} nats in all)
            </dd>
            <dt className="text-stone-500">as recorded</dt>
            <dd className="num">{fixed(r.nats.recorded, 4)} nats/char</dd>
          </dl>
          <p className="mt-2 text-xs text-stone-500">
            Both runs read the text in streams of 1,000 characters, each warmed up on the 500 before it, as the recording did; {(r.tookMs / 1000).toFixed(1)} s.
          </p>
        </section>
        <section className="panel">
          <h2 className="panel-title">Where it helped most</h2>
          <ol className="space-y-0.5 text-sm" data-testid="knockout-helped">
            {r.helped.map((h) => (
              <li key={h.offset} className="flex justify-between gap-2">
                <Link href={cellHref(model, unit, { at: h.offset, scale })} className="font-mono underline" prefetch={false}>
                  {JSON.stringify(h.char)} at {int(h.offset)}
                </Link>
                <span className="num">+{fixed(h.delta, 3)}</span>
              </li>
            ))}
          </ol>
        </section>
      </aside>
    </div>
  );
}

export default async function KnockOutPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParamsRecord> }) {
  await connection();
  const p = await params;
  const model = decodeUnitParam(p.model), unit = decodeUnitParam(p.unit);
  const { cell } = await loadCell(model, unit);
  if (!cell) notFound();
  const sp = await searchParams;
  const parsed = View.safeParse(Object.fromEntries(Object.entries(sp).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]).filter(([, v]) => v !== undefined && v !== "")));
  const problem = parsed.success ? null : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
  const v = parsed.success ? parsed.data : View.parse({});
  const total = cell.recording.chars;
  const from = Math.min(v.from ?? 0, total - 1);
  const to = v.to ?? Math.min(total, from + DEFAULT_CHARS);
  const shown = typeof v.value === "number" ? String(v.value) : v.value;

  return (
    <main className="mx-auto max-w-7xl px-4 py-4">
      <Breadcrumbs
        className="mb-2"
        trail={[
          { label: "models", href: "/" },
          { label: model, href: modelHref(model, { scale: v.scale }), mono: true },
          { label: unit, href: cellHref(model, unit, { at: from, scale: v.scale }), mono: true },
          { label: "knock-out" },
        ]}
      />
      <header className="mb-3">
        <h1 className="text-2xl font-semibold tracking-tight">
          <span className="font-mono">{unit}</span> knocked out
        </h1>
        <p className="text-sm text-stone-600">
          {kindLabel(cell.kind)} · layer {cell.layer} of {model}. The model reads the stretch twice, once as it is and once with this unit held at one value at every step; each character is colored by how much harder (red) or easier (blue) it became to predict.
        </p>
      </header>
      <form method="get" className="mb-3 flex flex-wrap items-end gap-2 text-sm" aria-label="Knock-out settings">
        <label className="flex flex-col">
          <span className="text-stone-600">from offset</span>
          <input name="from" type="number" min={0} max={total - 1} defaultValue={from} className="field w-28" />
        </label>
        <label className="flex flex-col">
          <span className="text-stone-600">to (at most {int(MAX_KNOCKOUT_CHARS)} on)</span>
          <input name="to" type="number" min={1} max={total} defaultValue={to} className="field w-28" />
        </label>
        <label className="flex flex-col">
          <span className="text-stone-600">hold at (zero, mean or −1…1)</span>
          <input name="value" defaultValue={shown} className="field w-28" list="hold-values" />
          <datalist id="hold-values">
            <option value="zero" />
            <option value="mean" />
          </datalist>
        </label>
        {v.scale === "cb" && <input type="hidden" name="scale" value="cb" />}
        <button type="submit" className="btn">
          Knock out
        </button>
        <Link href={knockoutHref(model, unit, { from, to, value: "mean", scale: v.scale })} className="btn" prefetch={false}>
          hold at its mean
        </Link>
      </form>
      {problem && (
        <p role="alert" className="mb-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="view-problem">
          {problem}; showing the defaults
        </p>
      )}
      <Suspense key={`${from}|${to}|${shown}`} fallback={<PanelFallback title={`Running the model twice over ${int(to - from)} characters…`} />}>
        <KnockOutMap model={model} unit={unit} from={from} to={to} value={v.value} scale={v.scale} />
      </Suspense>
    </main>
  );
}
