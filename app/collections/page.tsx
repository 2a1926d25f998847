/** Every collection of units (newest change first), and a form for a new one (hidden in read-only mode). */
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { isReadOnly } from "@/lib/cells/set-label.ts";
import { listCollections } from "@/lib/collections/list-collections.ts";
import { NewCollection } from "@/app/_components/NewCollection.tsx";

export const metadata: Metadata = { title: "Collections" };

export default async function CollectionsPage() {
  await connection();
  const collections = await listCollections();
  const readOnly = isReadOnly();
  return (
    <main className="mx-auto max-w-5xl space-y-4 px-4 py-4">
      <nav aria-label="Breadcrumb" className="flex flex-wrap gap-1 text-sm text-stone-500">
        <Link href="/" className="hover:underline">
          models
        </Link>
        <span aria-hidden="true">/</span>
        <span className="text-stone-800" aria-current="page">
          collections
        </span>
      </nav>
      <header className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Collections</h1>
        <p className="max-w-3xl text-stone-600">Named lists of units worth a look, from one model or several, each with a note. Every collection has a permanent link to share.</p>
      </header>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <section aria-labelledby="list-title" className="min-w-0">
          <h2 id="list-title" className="sr-only">
            All collections
          </h2>
          {collections.length === 0 ? (
            <p className="panel text-sm text-stone-600">No collections yet.{!readOnly && " Create one here, or from any unit’s cell page with “Add to collection”."}</p>
          ) : (
            <ul className="space-y-2" data-testid="collections-list">
              {collections.map((c) => (
                <li key={c.slug} className="panel min-w-0 space-y-1">
                  <Link href={`/collections/${c.slug}`} className="font-semibold break-words underline decoration-stone-300 hover:decoration-stone-800">
                    {c.title}
                  </Link>
                  {c.description && <p className="line-clamp-2 text-sm whitespace-pre-wrap text-stone-600">{c.description}</p>}
                  <p className="text-xs text-stone-500">
                    {c.units === 1 ? "1 unit" : `${c.units} units`}
                    {c.models.length > 0 && <span className="font-mono"> · {c.models.join(", ")}</span>} · updated {c.updatedAt.slice(0, 10)}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
        {!readOnly && (
          <aside className="min-w-0">
            <NewCollection />
          </aside>
        )}
      </div>
    </main>
  );
}
