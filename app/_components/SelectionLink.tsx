"use client";
/**
 * A link from the cell page that carries the selected character. The page is
 * rendered once for the offset in its URL, and a click selects another one in
 * the browser (selection.ts) without a new render, so links built on the
 * server would keep the old offset: this one rewrites its own query from the
 * live selection. `keep="at"` sets ?at= (another unit or color at the same
 * character); `keep="sel"` sets ?sel= and opens the compare view a little
 * before it. It never prefetches: its target changes with every selection, and
 * a prefetch per click or arrow key would cost the server a page render each.
 */
import Link from "next/link";
import type { ComponentProps } from "react";
import { compareStart } from "@/lib/ui/urls.ts";
import { useSelectedOffset } from "./selection.ts";

type Props = Omit<ComponentProps<typeof Link>, "href"> & { href: string; total: number; keep: "at" | "sel" };

export function SelectionLink({ href, total, keep, ...rest }: Props) {
  const at = useSelectedOffset(total);
  if (at === undefined) return <Link href={href} prefetch={false} {...rest} />;
  const [path, query = ""] = href.split("?");
  const q = new URLSearchParams(query);
  if (keep === "at") q.set("at", String(at));
  else {
    q.set("sel", String(at));
    q.set("at", String(compareStart(at)));
  }
  return <Link href={`${path}?${q}`} prefetch={false} {...rest} />;
}
