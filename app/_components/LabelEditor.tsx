"use client";
/** Sets or clears a unit's label and note (PUT/DELETE …/units/[unit]/label), then refreshes the page. */
import { useState } from "react";
import { useRouter } from "next/navigation";

export function LabelEditor({ model, unit, label, note }: { model: string; unit: string; label: string | null; note: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const url = `/api/models/${encodeURIComponent(model)}/units/${unit}/label`;

  async function send(method: "PUT" | "DELETE", body?: unknown) {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
      if (!res.ok) {
        const b = await res.json().catch(() => null);
        throw new Error(b?.error?.message ?? `HTTP ${res.status}`);
      }
      setOpen(false);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="edit-label">
        {label ? "Edit label" : "Add a label"}
      </button>
    );
  }
  return (
    <form
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        void send("PUT", { label: String(f.get("label") ?? ""), note: String(f.get("note") ?? "") });
      }}
    >
      <label className="block text-xs text-stone-600">
        Label
        <input name="label" defaultValue={label ?? ""} required maxLength={80} className="field mt-0.5 w-full" placeholder="quote detector" autoFocus />
      </label>
      <label className="block text-xs text-stone-600">
        Note
        <textarea name="note" defaultValue={note} maxLength={2000} rows={3} className="field mt-0.5 w-full" />
      </label>
      <div className="flex gap-2">
        <button type="submit" className="btn" disabled={busy}>
          Save
        </button>
        {label && (
          <button type="button" className="btn" disabled={busy} onClick={() => void send("DELETE")}>
            Remove
          </button>
        )}
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
