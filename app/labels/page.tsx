/**
 * Finding units by their labels: ?q=TEXT (any case, in the label or its note)
 * and optionally &model=M. With no q, every labelled unit. With q, then the
 * unlabelled units whose generated description says it (lib/cells/describe-units.ts).
 * Each with a colored preview around where it fires hardest.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { InputError } from "@/lib/api/errors.ts";
import { findLabels, type LabelSearch } from "@/lib/cells/find-labels.ts";
import { listModels } from "@/lib/cells/list-models.ts";
import { first, parseScale, type SearchParamsRecord } from "@/lib/ui/urls.ts";
import { CopyLink } from "@/app/_components/CopyLink.tsx";
import { Legends } from "@/app/_components/Legend.tsx";
import { SlashFocus } from "@/app/_components/SlashFocus.tsx";
import { UnitEntry } from "@/app/_components/UnitEntry.tsx";

const LIMIT = 100;

export async function generateMetadata({ searchParams }: { searchParams: Promise<SearchParamsRecord> }): Promise<Metadata> {
  const q = first(await searchParams, "q")?.trim();
  return { title: q ? `labels · “${q.slice(0, 60)}”` : "labels" };
}

export default async function LabelsPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  await connection();
  const sp = await searchParams;
  const q = (first(sp, "q") ?? "").slice(0, 200);
  const model = first(sp, "model") || undefined;
  const scale = parseScale(sp);
  const models = await listModels();
  let result: LabelSearch | null = null;
  let error: string | null = null;
  try {
    result = await findLabels(q, { model, limit: LIMIT });
  } catch (e) {
    if (e instanceof InputError) error = e.message;
    else throw e;
  }

  return (
    <main className="mx-auto max-w-5xl space-y-4 px-4 py-4">
      <SlashFocus id="label-q" />
      <nav aria-label="Breadcrumb" className="flex flex-wrap gap-1 text-sm text-stone-500">
        <Link href="/" className="hover:underline">
          models
        </Link>
        <span aria-hidden="true">/</span>
        <span className="text-stone-800" aria-current="page">
          labels
        </span>
      </nav>
      <h1 className="text-xl font-semibold tracking-tight">Units by label or description</h1>
      <form action="/labels" method="get" role="search" className="panel flex flex-wrap items-end gap-2">
        <label htmlFor="label-q" className="min-w-0 basis-full text-xs text-stone-600 sm:basis-auto sm:flex-1">
          Label or note contains
          <input id="label-q" name="q" defaultValue={q} className="field mt-0.5 block w-full font-sans" placeholder="quote" autoComplete="off" spellCheck={false} />
        </label>
        <label className="text-xs text-stone-600">
          Model
          <select name="model" defaultValue={model ?? ""} className="field mt-0.5 block">
            <option value="">all models</option>
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
              </option>
            ))}
          </select>
        </label>
        {scale === "cb" && <input type="hidden" name="scale" value="cb" />}
        <button type="submit" className="btn">
          Find
        </button>
        <CopyLink />
      </form>
      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          {error}
        </p>
      )}
      {result && (
        <section aria-labelledby="label-results" className="space-y-2">
          <h2 id="label-results" className="text-sm text-stone-600" data-testid="label-summary">
            {result.total === 0
              ? result.q
                ? `No label or note contains “${result.q}”${result.model ? ` in ${result.model}` : ""}.`
                : "No labelled units yet: open a unit and use “Add a label”."
              : `${result.total === 1 ? "1 labelled unit" : `${result.total} labelled units`}${result.q ? ` matching “${result.q}”` : ""}${result.model ? ` in ${result.model}` : ""}${result.total > result.matches.length ? `, the first ${result.matches.length} shown` : ""}`}
          </h2>
          <Legends units={result.matches.filter((m) => m.preview).map((m) => m.unit)} scale={scale} />
          <ol className="space-y-2" data-testid="label-results">
            {result.matches.map((m) => (
              <li key={`${m.model}/${m.unit}`}>
                <UnitEntry model={m.model} unit={m.unit} label={m.label} note={m.note} preview={m.preview} scale={scale} />
              </li>
            ))}
          </ol>
        </section>
      )}
      {result && result.q && (
        <section aria-labelledby="described-results" className="space-y-2">
          <h2 id="described-results" className="text-sm text-stone-600" data-testid="described-summary">
            {result.describedTotal === 0
              ? `No unlabelled unit is described with “${result.q}”.`
              : `${result.describedTotal === 1 ? "1 unlabelled unit" : `${result.describedTotal} unlabelled units`} described with “${result.q}”${result.describedTotal > result.described.length ? `, the first ${result.described.length} shown` : ""}`}
            <span className="block text-xs text-stone-400">Descriptions are made from each unit’s strongest built-in signals and the text at its highest and lowest values.</span>
          </h2>
          <ol className="space-y-2" data-testid="described-results">
            {result.described.map((m) => (
              <li key={`${m.model}/${m.unit}`}>
                <UnitEntry model={m.model} unit={m.unit} label={null} note={m.description} notePrefix="reads as" preview={m.preview} scale={scale} />
              </li>
            ))}
          </ol>
        </section>
      )}
    </main>
  );
}
