"use client";
/**
 * The cell page's "Add to collection": pick a collection or name a new one,
 * write why the unit belongs there, and it goes in (last). Adding a unit that
 * is already there changes its note. Hidden in read-only mode.
 */
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { itemUrl, sendJson } from "./send-json.ts";

const NEW = "";

export function AddToCollection({ model, unit, collections }: { model: string; unit: string; collections: { slug: string; title: string }[] }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [target, setTarget] = useState(collections[0]?.slug ?? NEW);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ slug: string; title: string; added: boolean } | null>(null);

  async function submit(form: FormData) {
    setBusy(true);
    setError(null);
    const note = String(form.get("note") ?? "");
    try {
      if (target === NEW) {
        const title = String(form.get("title") ?? "");
        const { collection } = await sendJson<{ collection: { slug: string; title: string } }>("/api/collections", "POST", { title, items: [{ model, unit, note }] });
        setTarget(collection.slug);
        setDone({ ...collection, added: true });
      } else {
        const { item } = await sendJson<{ item: { added: boolean } }>(itemUrl(target, model, unit), "PUT", { note });
        setDone({ slug: target, title: collections.find((c) => c.slug === target)?.title ?? target, added: item.added });
      }
      setOpen(false);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-2">
      {done && (
        <p role="status" className="text-sm text-stone-700" data-testid="collection-added">
          {done.added ? "Added to" : "Note updated in"}{" "}
          <Link href={`/collections/${done.slug}`} className="underline">
            {done.title}
          </Link>
          .
        </p>
      )}
      {!open ? (
        <button
          type="button"
          className="btn"
          onClick={() => {
            setDone(null);
            setOpen(true);
          }}
          data-testid="add-to-collection"
        >
          Add to collection
        </button>
      ) : (
        <form
          className="space-y-2"
          aria-label="Add to collection"
          onSubmit={(e) => {
            e.preventDefault();
            void submit(new FormData(e.currentTarget));
          }}
        >
          <label className="block text-xs text-stone-600">
            Collection
            <select value={target} onChange={(e) => setTarget(e.target.value)} className="field mt-0.5 block w-full font-sans" autoFocus data-testid="collection-select">
              {collections.map((c) => (
                <option key={c.slug} value={c.slug}>
                  {c.title}
                </option>
              ))}
              <option value={NEW}>New collection…</option>
            </select>
          </label>
          {target === NEW && (
            <label className="block text-xs text-stone-600">
              Title of the new collection
              <input name="title" required maxLength={120} className="field mt-0.5 w-full font-sans" placeholder="the famous five" autoComplete="off" />
            </label>
          )}
          <label className="block text-xs text-stone-600">
            Note <span className="text-stone-400">(why this unit is here)</span>
            <textarea name="note" maxLength={2000} rows={2} className="field mt-0.5 w-full font-sans" />
          </label>
          <div className="flex gap-2">
            <button type="submit" className="btn" disabled={busy}>
              Add
            </button>
            <button type="button" className="btn" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
          {error && (
            <p role="alert" className="text-xs text-red-700">
              {error}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
