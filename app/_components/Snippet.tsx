"use client";
/**
 * A short excerpt colored by one unit, on one line (newlines as ↵); the marked
 * characters underlined or outlined. A client component so that a page sends
 * each snippet's text and values (about 600 bytes) rather than its colored
 * HTML twice (in the page and again in the payload React hydrates from:
 * about 3.5 KB each, 16 of them on a cell page).
 */
import Link from "next/link";
import type { ScaleName } from "@/lib/ui/color.ts";
import type { Snippet as SnippetData } from "@/lib/cells/snippets.ts";
import { snippetHtml } from "@/lib/ui/text-html.ts";

export function Snippet({
  snippet,
  kind,
  scale,
  href,
  markStyle = "outline",
  label,
}: {
  snippet: SnippetData;
  kind: string;
  scale: ScaleName;
  href?: string;
  markStyle?: "outline" | "underline";
  label?: string;
}) {
  const body = <span className={`snip font-mono text-[13px] leading-6 mark-${markStyle}`} data-testid="snippet" dangerouslySetInnerHTML={{ __html: snippetHtml(snippet, kind, scale) }} />;
  const wrap = "block overflow-hidden rounded border border-stone-200 bg-white px-1";
  if (!href) return <span className={wrap}>{body}</span>;
  return (
    <Link href={href} className={`${wrap} hover:border-stone-500`} aria-label={label} prefetch={false}>
      {body}
    </Link>
  );
}
