"use client";
/**
 * The built-in signal picker. It opens on the signal in the URL; when the URL
 * has none (after a regex search), on the signal last chosen for this model in
 * this tab, so a regex search does not throw the choice away; else on the
 * model's own kind of signal (lib/search/default-signal.ts).
 */
import { useEffect, useRef, type ReactNode } from "react";

export function SignalPicker({ model, chosen, fallback, children }: { model: string; chosen: string; fallback: string; children: ReactNode }) {
  const ref = useRef<HTMLSelectElement>(null);
  const key = `cellscope:signal:${model}`;
  useEffect(() => {
    const select = ref.current;
    if (!select) return;
    const offered = (s: string | null) => Boolean(s) && Array.from(select.options).some((o) => o.value === s);
    try {
      if (chosen) {
        if (offered(chosen)) sessionStorage.setItem(key, chosen);
      } else {
        const saved = sessionStorage.getItem(key);
        if (offered(saved)) select.value = saved!;
      }
    } catch {
      // No storage (a private window may refuse it): the picker keeps the URL's or the default signal.
    }
  }, [chosen, key]);
  return (
    <select
      ref={ref}
      id="signal-select"
      name="signal"
      defaultValue={chosen || fallback}
      className="field w-full"
      data-testid="signal-select"
      onChange={(e) => {
        try {
          sessionStorage.setItem(key, e.currentTarget.value);
        } catch {}
      }}
    >
      {children}
    </select>
  );
}
