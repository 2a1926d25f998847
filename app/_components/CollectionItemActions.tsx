"use client";
/** Per unit on a collection page: change the collection's note on it, or take it out. Hidden in read-only mode. */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { itemUrl, sendJson } from "./send-json.ts";

export function CollectionItemActions({ slug, model, unit, note }: { slug: string; model: string; unit: string; note: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send(method: "PUT" | "DELETE", body?: unknown) {
    setBusy(true);
    setError(null);
    try {
      await sendJson(itemUrl(slug, model, unit), method, body);
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
      {open ? (
        <form
          className="space-y-2"
          aria-label={`Note on ${model} ${unit}`}
          onSubmit={(e) => {
            e.preventDefault();
            void send("PUT", { note: String(new FormData(e.currentTarget).get("note") ?? "") });
          }}
        >
          <label className="block text-xs text-stone-600">
            Note
            <textarea name="note" defaultValue={note} maxLength={2000} rows={2} className="field mt-0.5 w-full font-sans" autoFocus />
          </label>
          <div className="flex gap-2">
            <button type="submit" className="btn" disabled={busy}>
              Save
            </button>
            <button type="button" className="btn" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="flex gap-2">
          <button type="button" className="btn py-0.5 text-xs" onClick={() => setOpen(true)} aria-label={`Edit the note on ${unit}`}>
            Edit note
          </button>
          <button type="button" className="btn py-0.5 text-xs" disabled={busy} onClick={() => void send("DELETE")} aria-label={`Remove ${unit} from the collection`}>
            Remove
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
