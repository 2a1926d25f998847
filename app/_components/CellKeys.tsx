"use client";
/**
 * Keyboard shortcuts on the cell page: j / k next / previous unit (index ± 1
 * within the kind and layer; repeated presses keep counting before the page
 * arrives), / focuses the search box.
 */
import { useEffect, useRef } from "react";
import { useRouter } from "next/navigation";
import { cellHref, type CellView } from "@/lib/ui/urls.ts";
import { currentOffset } from "./selection.ts";

interface Props {
  model: string;
  kind: string;
  layer: number;
  index: number;
  /** Units per layer (indices 0 … hidden − 1). */
  hidden: number;
  view: CellView;
  searchId: string;
}

export function CellKeys({ model, kind, layer, index, hidden, view, searchId }: Props) {
  const router = useRouter();
  const target = useRef(index);
  useEffect(() => {
    target.current = index; // the page for a new unit has arrived
  }, [index]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      if (e.key === "j" || e.key === "k") {
        const next = target.current + (e.key === "j" ? 1 : -1);
        if (next < 0 || next >= hidden) return;
        e.preventDefault();
        target.current = next;
        // The selection as it is now: a click changes ?at= without a new render of this page.
        router.push(cellHref(model, `${kind}:${layer}:${next}`, { ...view, at: currentOffset() }), { scroll: false });
      } else if (e.key === "/") {
        const box = document.getElementById(searchId) as HTMLInputElement | null;
        if (box) {
          e.preventDefault();
          box.focus();
          box.select();
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [model, kind, layer, hidden, view, router, searchId]);
  return null;
}
