"use client";
/**
 * The compare view's rows: clicking a character selects it (?sel=OFFSET in
 * the URL), which opens the inspector for it. One listener for the whole
 * text rather than a link per character (up to 4,800 of them).
 */
import type { ReactNode } from "react";
import { useRouter } from "next/navigation";

export function CompareClicks({ base, children }: { base: string; children: ReactNode }) {
  const router = useRouter();
  return (
    <div
      className="cursor-pointer overflow-x-auto rounded-md border border-stone-300 bg-white p-3"
      data-testid="compare-rows"
      onClick={(e) => {
        const el = (e.target as HTMLElement).closest<HTMLElement>("[data-o]");
        if (!el) return;
        const url = new URL(base, window.location.href);
        url.searchParams.set("sel", el.dataset.o!);
        router.push(url.pathname + url.search, { scroll: false });
      }}
    >
      {children}
    </div>
  );
}
