/**
 * Sample text from a model, colored by one unit as it is generated
 * (?unit=&temperature=&length=&prime=&seed=); with &clamp=c:1:40=-1 (up to 4
 * units, comma-separated) the same seed and prime are sampled free and with
 * the units held, side by side, with measures of what changed.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { InputError, NotFoundError } from "@/lib/api/errors.ts";
import { getModelOrNotFound } from "../get-model-or-not-found.ts";
import { checkSampleRequest, MAX_SAMPLE, type SampleOptions } from "@/lib/sample/sample-cell.ts";
import { pageMeta } from "@/lib/ui/page-meta.ts";
import { cellHref, decodeUnitParam, first, modelHref, parseScale, type SearchParamsRecord } from "@/lib/ui/urls.ts";
import { CopyLink } from "@/app/_components/CopyLink.tsx";
import { Legend } from "@/app/_components/Legend.tsx";
import { SampleStream } from "@/app/_components/SampleStream.tsx";

type Params = Promise<{ model: string }>;

export async function generateMetadata({ params, searchParams }: { params: Params; searchParams: Promise<SearchParamsRecord> }): Promise<Metadata> {
  const id = decodeUnitParam((await params).model);
  const unit = decodeUnitParam(first(await searchParams, "unit") ?? "h:0:0").slice(0, 20);
  return pageMeta(`${id} · sample · ${unit}`, `Text sampled from ${id}, colored character by character by unit ${unit} as it is generated.`);
}

export default async function SamplePage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParamsRecord> }) {
  await connection();
  const id = decodeUnitParam((await params).model);
  await getModelOrNotFound(id);
  const sp = await searchParams;
  const scale = parseScale(sp);
  const raw = {
    unit: decodeUnitParam(first(sp, "unit") ?? "h:0:0"),
    length: first(sp, "length") || undefined,
    temperature: first(sp, "temperature") || undefined,
    prime: first(sp, "prime") ?? "",
    seed: first(sp, "seed") || undefined,
    clamp: first(sp, "clamp") || undefined,
  };
  // Every bad parameter at once, as the API reports them.
  let o: SampleOptions | null = null;
  let error: string | null = null;
  try {
    o = await checkSampleRequest(id, raw);
  } catch (e) {
    if (e instanceof NotFoundError || e instanceof InputError) error = e.message;
    else throw e;
  }
  const kind = o ? o.unit[0] : raw.unit[0];
  const apiUrl = (opts: SampleOptions, clamp: string) =>
    `/api/models/${encodeURIComponent(id)}/sample?${new URLSearchParams({ unit: opts.unit, length: String(opts.length), temperature: String(opts.temperature), prime: opts.prime, seed: String(opts.seed), ...(clamp ? { clamp } : {}) })}`;
  const api = o && !error ? apiUrl(o, "") : null;
  // With units held: the same seed and prime sampled free and held, side by side.
  const held = o && !error && o.clamp ? apiUrl(o, o.clamp) : null;

  return (
    <main className="mx-auto max-w-5xl space-y-4 px-4 py-4">
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
          sample
        </span>
      </nav>
      <h1 className="text-xl font-semibold tracking-tight">Sample, watching one unit</h1>
      {/* Two columns of short fields and the prime across on a phone; one wrapping row on wider screens. */}
      <form method="get" className="panel grid grid-cols-2 items-end gap-2 sm:flex sm:flex-wrap">
        <label className="text-xs text-stone-600">
          Unit
          <input name="unit" defaultValue={raw.unit} className="field mt-0.5 block w-full sm:w-24" required spellCheck={false} />
        </label>
        <label className="text-xs text-stone-600">
          Temperature
          <input name="temperature" type="number" step="0.05" min="0.05" max="5" defaultValue={raw.temperature ?? 0.8} className="field mt-0.5 block w-full sm:w-24" />
        </label>
        <label className="text-xs text-stone-600">
          Length
          <input name="length" type="number" min={1} max={MAX_SAMPLE} defaultValue={raw.length ?? 400} className="field mt-0.5 block w-full sm:w-24" />
        </label>
        <label className="text-xs text-stone-600">
          Seed
          <input name="seed" type="number" min={0} defaultValue={raw.seed ?? 1} className="field mt-0.5 block w-full sm:w-20" />
        </label>
        <label className="col-span-2 text-xs text-stone-600">
          Hold units at (up to 4)
          <input name="clamp" defaultValue={raw.clamp ?? ""} className="field mt-0.5 block w-full sm:w-56" placeholder="c:1:40=-1, h:0:3=0.5" spellCheck={false} />
        </label>
        <label className="col-span-2 min-w-0 text-xs text-stone-600 sm:min-w-48 sm:flex-1">
          Prime text
          <input name="prime" defaultValue={raw.prime} className="field mt-0.5 block w-full" placeholder="The " spellCheck={false} />
        </label>
        {scale === "cb" && <input type="hidden" name="scale" value="cb" />}
        <div className="col-span-2 flex flex-wrap items-end gap-2">
          <button type="submit" className="btn">
            Generate
          </button>
          <CopyLink />
        </div>
      </form>
      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="sample-form-error">
          {error}
        </p>
      )}
      {api && o && (
        <section aria-label="Generated text" className="space-y-2">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <Legend kind={kind} scale={scale} mode="unit" />
            <Link href={cellHref(id, o.unit, { scale })} className="text-sm underline">
              {o.unit} on the recorded text
            </Link>
          </div>
          {held ? (
            <div className="grid grid-cols-1 gap-3 md:grid-cols-2" data-testid="sample-side-by-side">
              <div>
                <h2 className="mb-1 text-sm font-semibold">Free</h2>
                <SampleStream key={api} url={api} kind={kind} unit={o.unit} scale={scale} measures testId="sample-text" model={id} prime={o.prime} />
              </div>
              <div>
                <h2 className="mb-1 text-sm font-semibold">
                  Holding <span className="font-mono">{o.clamp.split(",").join(", ")}</span>
                </h2>
                <SampleStream key={held} url={held} kind={kind} unit={o.unit} scale={scale} measures testId="sample-text-held" model={id} prime={o.prime} />
              </div>
            </div>
          ) : (
            <SampleStream key={api} url={api} kind={kind} unit={o.unit} scale={scale} />
          )}
          <p className="text-xs text-stone-500">Underlined: the prime text (read, not generated). The same seed gives the same text.</p>
        </section>
      )}
    </main>
  );
}
