/**
 * A collection's permalink: its title and description, then each unit with
 * its model, label, the collection's note and a colored preview around where
 * it fires hardest (?scale=cb for the color-blind-safe scale). Write controls
 * are hidden in read-only mode.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { NotFoundError } from "@/lib/api/errors.ts";
import { isReadOnly } from "@/lib/cells/set-label.ts";
import { getCollection, type CollectionDetail } from "@/lib/collections/get-collection.ts";
import { SLUG_PATTERN } from "@/lib/collections/inputs.ts";
import { SCALES, type ScaleName } from "@/lib/ui/color.ts";
import { first, type SearchParamsRecord } from "@/lib/ui/urls.ts";
import { CollectionActions } from "@/app/_components/CollectionActions.tsx";
import { CollectionItemActions } from "@/app/_components/CollectionItemActions.tsx";
import { CopyLink } from "@/app/_components/CopyLink.tsx";
import { Legends } from "@/app/_components/Legend.tsx";
import { UnitEntry } from "@/app/_components/UnitEntry.tsx";

type Params = Promise<{ slug: string }>;

const load = cache(async (slug: string): Promise<CollectionDetail | null> => {
  if (!SLUG_PATTERN.test(slug)) return null;
  try {
    return await getCollection(slug);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
});

const day = (iso: string) => iso.slice(0, 10);

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  await connection();
  const c = await load((await params).slug);
  if (!c) return { title: "Not found" };
  const description = c.description || `${c.units} units of ${c.models.join(", ")}, each with a note and a colored preview.`;
  return { title: `${c.title} · collection`, description, openGraph: { title: c.title, description, type: "website", siteName: "Cellscope" } };
}

export default async function CollectionPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParamsRecord> }) {
  await connection();
  const c = await load((await params).slug);
  if (!c) notFound();
  const scaleRaw = first(await searchParams, "scale");
  const scale: ScaleName = (SCALES as readonly string[]).includes(scaleRaw ?? "") ? (scaleRaw as ScaleName) : "rb";
  const readOnly = isReadOnly();

  return (
    <main className="mx-auto max-w-5xl space-y-4 px-4 py-4">
      <nav aria-label="Breadcrumb" className="flex flex-wrap gap-1 text-sm text-stone-500">
        <Link href="/collections" className="hover:underline">
          collections
        </Link>
        <span aria-hidden="true">/</span>
        <span className="font-mono text-stone-800" aria-current="page">
          {c.slug}
        </span>
      </nav>
      <header className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight break-words" data-testid="collection-title">
          {c.title}
        </h1>
        {c.description && (
          <p className="max-w-3xl whitespace-pre-wrap text-stone-700" data-testid="collection-description">
            {c.description}
          </p>
        )}
        <p className="text-sm text-stone-500">
          {c.units === 1 ? "1 unit" : `${c.units} units`}
          {c.models.length > 0 && (
            <>
              {" "}
              of <span className="font-mono">{c.models.join(", ")}</span>
            </>
          )}{" "}
          · updated {day(c.updatedAt)}
        </p>
        <div className="flex flex-wrap items-start gap-2">
          <CopyLink />
          <Link href={`/collections/${c.slug}${scale === "cb" ? "" : "?scale=cb"}`} className="btn" scroll={false}>
            {scale === "cb" ? "red–blue" : "orange–purple"}
          </Link>
          {!readOnly && <CollectionActions slug={c.slug} title={c.title} description={c.description} />}
        </div>
      </header>

      {c.items.length === 0 ? (
        <p className="panel text-sm text-stone-600">
          No units yet. Open a unit’s cell page (from a <Link href="/" className="underline">model</Link>, a search or a label) and use “Add to collection”.
        </p>
      ) : (
        <>
          <Legends units={c.items.filter((it) => it.preview).map((it) => it.unit)} scale={scale} />
          <ol className="space-y-2" data-testid="collection-items" aria-label={`Units in ${c.title}`}>
            {c.items.map((it) => (
              <li key={`${it.model}/${it.unit}`}>
                <UnitEntry model={it.model} unit={it.unit} label={it.label?.label ?? null} note={it.note} preview={it.preview} problem={it.problem} scale={scale}>
                  {!readOnly && <CollectionItemActions slug={c.slug} model={it.model} unit={it.unit} note={it.note} />}
                </UnitEntry>
              </li>
            ))}
          </ol>
        </>
      )}
    </main>
  );
}
