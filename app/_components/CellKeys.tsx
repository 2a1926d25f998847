"use client";
/**
 * Keyboard shortcuts on the cell page: j / k next / previous unit in the kind
 * and layer that moves (constant units skipped: they carry nothing), J / K
 * (with Shift) next / previous unit whatever it is; repeated presses keep
 * counting before the page arrives. / focuses the search box.
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
  /** Indices of this kind and layer's constant units (lib/cells/get-cell.ts). */
  constant: number[];
  view: CellView;
  searchId: string;
}

/** The index after (or before) `from` in 0 … hidden − 1, skipping those in `skip`; null past the ends. */
export function stepIndex(from: number, dir: 1 | -1, hidden: number, skip: ReadonlySet<number>): number | null {
  for (let i = from + dir; i >= 0 && i < hidden; i += dir) if (!skip.has(i)) return i;
  return null;
}

const NONE: ReadonlySet<number> = new Set();

export function CellKeys({ model, kind, layer, index, hidden, constant, view, searchId }: Props) {
  const router = useRouter();
  const target = useRef(index);
  useEffect(() => {
    target.current = index; // the page for a new unit has arrived
  }, [index]);
  useEffect(() => {
    const skip = new Set(constant);
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      const key = e.key.toLowerCase();
      if (key === "j" || key === "k") {
        // Shift (J / K) includes the constant units.
        const next = stepIndex(target.current, key === "j" ? 1 : -1, hidden, e.shiftKey ? NONE : skip);
        if (next === null) return;
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
  }, [model, kind, layer, hidden, constant, view, router, searchId]);
  return null;
}
