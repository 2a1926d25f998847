"use client";
/**
 * "Embed / download" for a stretch of a cell view: the <iframe> snippet of
 * its /embed/ page, and the same stretch as a self-contained HTML file, an SVG
 * for papers, and the values as CSV or JSON.
 */
import { useEffect, useState } from "react";
import { embedHref } from "@/lib/ui/urls.ts";
import type { ScaleName } from "@/lib/ui/color.ts";

export function EmbedMenu({ model, unit, from, to, scale }: { model: string; unit: string; from: number; to: number; scale: ScaleName }) {
  const [origin, setOrigin] = useState("");
  const [copied, setCopied] = useState(false);
  useEffect(() => setOrigin(window.location.origin), []);
  const page = embedHref(model, unit, { from, to, scale });
  const snippet = `<iframe src="${origin}${page}" width="720" height="360" style="border:0" title="${model} ${unit} in Cellscope" loading="lazy"></iframe>`;
  const api = `/api/models/${encodeURIComponent(model)}/units/${unit}/activations?start=${from}&end=${to}`;
  return (
    <details className="relative" data-testid="embed-menu">
      <summary className="btn cursor-pointer list-none">Embed / download</summary>
      <div className="fixed inset-x-2 z-20 mt-1 space-y-2 rounded border border-stone-300 bg-white p-3 text-sm shadow-lg sm:absolute sm:inset-x-auto sm:right-0 sm:w-[28rem]">
        <p className="text-stone-600">
          Characters {from.toLocaleString("en")}–{to.toLocaleString("en")} of this view, colored by {unit}:
        </p>
        <label className="block text-xs font-medium text-stone-600" htmlFor="embed-snippet">
          Embed in a page
        </label>
        <textarea id="embed-snippet" readOnly value={snippet} rows={3} className="field w-full font-mono text-xs" data-testid="embed-snippet" onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          className="btn"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(snippet);
              setCopied(true);
              window.setTimeout(() => setCopied(false), 1500);
            } catch {
              window.prompt("Copy this snippet", snippet);
            }
          }}
        >
          {copied ? "Copied" : "Copy snippet"}
        </button>
        <p className="flex flex-wrap gap-x-3 gap-y-1">
          <a className="underline" href={`${page}&download=1`} data-testid="download-html">
            HTML file
          </a>
          <a className="underline" href={`${page}&format=svg&download=1`} data-testid="download-svg">
            SVG
          </a>
          <a className="underline" href={`${api}&format=csv`} data-testid="download-csv">
            values (CSV)
          </a>
          <a className="underline" href={api} target="_blank" rel="noopener">
            values (JSON)
          </a>
          <a className="underline" href={page} target="_blank" rel="noopener">
            preview
          </a>
        </p>
      </div>
    </details>
  );
}
