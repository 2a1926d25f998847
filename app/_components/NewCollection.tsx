"use client";
/** The collections page's "New collection" form: creates an empty one and opens it. Hidden in read-only mode. */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "./send-json.ts";

export function NewCollection() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="panel space-y-2"
      aria-labelledby="new-collection-title"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        setBusy(true);
        setError(null);
        sendJson<{ collection: { slug: string } }>("/api/collections", "POST", { title: String(f.get("title") ?? ""), description: String(f.get("description") ?? "") })
          .then(({ collection }) => router.push(`/collections/${collection.slug}`))
          .catch((err: Error) => setError(err.message))
          .finally(() => setBusy(false));
      }}
    >
      <h2 id="new-collection-title" className="panel-title">
        New collection
      </h2>
      <label className="block text-xs text-stone-600">
        Title
        <input name="title" required maxLength={120} className="field mt-0.5 w-full font-sans" placeholder="the famous five" autoComplete="off" />
      </label>
      <label className="block text-xs text-stone-600">
        Description <span className="text-stone-400">(optional)</span>
        <textarea name="description" maxLength={2000} rows={2} className="field mt-0.5 w-full font-sans" />
      </label>
      <button type="submit" className="btn" disabled={busy}>
        Create
      </button>
      {error && (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      )}
    </form>
  );
}
