"use client";
/** "Embed": the <iframe> snippet of an /embed/ page, with this site's origin, to copy. */
import { useEffect, useState } from "react";

export function EmbedSnippet({ path, title, label = "Embed" }: { path: string; title: string; label?: string }) {
  const [origin, setOrigin] = useState("");
  useEffect(() => setOrigin(window.location.origin), []);
  const snippet = `<iframe src="${origin}${path}" width="720" height="400" style="border:0" title="${title.replace(/"/g, "&quot;")}" loading="lazy"></iframe>`;
  return (
    <details className="relative" data-testid="embed-snippet-menu">
      <summary className="btn cursor-pointer list-none">{label}</summary>
      <div className="fixed inset-x-2 z-20 mt-1 space-y-2 rounded border border-stone-300 bg-white p-3 text-sm shadow-lg sm:absolute sm:inset-x-auto sm:right-0 sm:w-[28rem]">
        <label className="block text-xs font-medium text-stone-600">
          Paste into any page
          <textarea readOnly value={snippet} rows={3} className="field mt-1 w-full font-mono text-xs" data-testid="embed-snippet" onFocus={(e) => e.currentTarget.select()} />
        </label>
        <a className="underline" href={path} target="_blank" rel="noopener">
          preview
        </a>
      </div>
    </details>
  );
}
