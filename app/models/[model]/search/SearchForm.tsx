"use client";
/**
 * A search form that navigates to the short URL of its query (searchHref: no
 * empty or default parameters). Without JavaScript it is a plain GET form.
 */
import { useRouter } from "next/navigation";
import type { FormEvent, ReactNode } from "react";
import type { ScaleName } from "@/lib/ui/color.ts";
import { searchHref } from "@/lib/ui/urls.ts";
import { searchViewOf } from "./search-view.ts";

export function SearchForm({ model, scale, label, role, className, children }: { model: string; scale: ScaleName; label: string; role?: "search"; className?: string; children: ReactNode }) {
  const router = useRouter();
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    router.push(searchHref(model, searchViewOf((k) => String(data.get(k) ?? ""), scale)));
  }
  return (
    <form action={`/models/${encodeURIComponent(model)}/search`} method="get" role={role} aria-label={label} className={className} onSubmit={submit}>
      {children}
    </form>
  );
}
