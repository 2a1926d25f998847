/**
 * One unit in a list of hand-picked units (a collection, label search): which
 * model and unit, what it is called, a note, and a colored preview around
 * where it fires hardest, linking to its cell page. Text is rendered as text:
 * markup typed into a title or note shows as typed.
 */
import Link from "next/link";
import type { ReactNode } from "react";
import type { Snippet as SnippetData } from "@/lib/cells/snippets.ts";
import type { ScaleName } from "@/lib/ui/color.ts";
import { cellHref } from "@/lib/ui/urls.ts";
import { Snippet } from "./Snippet.tsx";
import { kindLabel } from "./format.ts";

export function UnitEntry({
  model,
  unit,
  label,
  note,
  notePrefix,
  preview,
  problem,
  scale,
  children,
}: {
  model: string;
  unit: string;
  label: string | null;
  note: string;
  /** Whose note it is, e.g. "label note". */
  notePrefix?: string;
  preview: SnippetData | null;
  problem?: string;
  scale: ScaleName;
  children?: ReactNode;
}) {
  const [kind, layer] = unit.split(":");
  return (
    <article className="panel min-w-0 space-y-1.5" data-testid="unit-entry" data-unit={`${model}/${unit}`}>
      <header className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
        <Link href={cellHref(model, unit, { scale })} className="font-mono font-semibold underline" data-testid="entry-unit">
          {unit}
        </Link>
        <span className="font-mono text-xs text-stone-500">{model}</span>
        {label && (
          <span className="text-sm font-medium text-stone-800" data-testid="entry-label">
            {label}
          </span>
        )}
        <span className="text-xs text-stone-400">
          {kindLabel(kind)}, layer {layer}
        </span>
      </header>
      {note && (
        <p className="text-sm whitespace-pre-wrap text-stone-700" data-testid="entry-note">
          {notePrefix && <span className="text-xs text-stone-400">{notePrefix}: </span>}
          {note}
        </p>
      )}
      {preview ? (
        <Snippet snippet={preview} kind={kind} scale={scale} href={cellHref(model, unit, { at: preview.mark[0], scale })} label={`${unit} of ${model} at its peak, offset ${preview.mark[0]}`} />
      ) : (
        <p className="text-xs text-stone-500">{problem ?? "No preview: the model has no complete recording."}</p>
      )}
      {children}
    </article>
  );
}
