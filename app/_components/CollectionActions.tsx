"use client";
/** The collection page's own controls: rename or redescribe it (its link stays the same), or delete it. Hidden in read-only mode. */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "./send-json.ts";

export function CollectionActions({ slug, title, description }: { slug: string; title: string; description: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const url = `/api/collections/${encodeURIComponent(slug)}`;

  async function run(fn: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const remove = () =>
    run(async () => {
      if (!window.confirm(`Delete the collection “${title}”? Its units and their labels stay.`)) return;
      await sendJson(url, "DELETE");
      router.push("/collections");
      router.refresh();
    });

  if (!open) {
    return (
      <span className="flex flex-wrap gap-2">
        <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="edit-collection">
          Edit
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => void remove()}>
          Delete
        </button>
        {error && (
          <span role="alert" className="text-xs text-red-700">
            {error}
          </span>
        )}
      </span>
    );
  }
  return (
    <form
      className="panel w-full space-y-2"
      aria-label="Edit collection"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        void run(async () => {
          await sendJson(url, "PATCH", { title: String(f.get("title") ?? ""), description: String(f.get("description") ?? "") });
          setOpen(false);
          router.refresh();
        });
      }}
    >
      <label className="block text-xs text-stone-600">
        Title
        <input name="title" defaultValue={title} required maxLength={120} className="field mt-0.5 w-full font-sans" autoFocus />
      </label>
      <label className="block text-xs text-stone-600">
        Description
        <textarea name="description" defaultValue={description} maxLength={2000} rows={3} className="field mt-0.5 w-full font-sans" />
      </label>
      <div className="flex gap-2">
        <button type="submit" className="btn" disabled={busy}>
          Save
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
  );
}
