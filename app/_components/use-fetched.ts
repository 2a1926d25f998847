/**
 * One GET per URL for the life of the page, shared by every component that
 * asks (the cell page's button and panel of correlated units, its two panels
 * of snippets and signal scores): the state of each request, and a hook that
 * re-renders its callers when it settles. Errors keep the API's message.
 */
import { useEffect, useSyncExternalStore } from "react";

export type Fetched<T> = { status: "loading" } | { status: "done"; value: T } | { status: "failed"; message: string };

const LOADING = { status: "loading" } as const;
const states = new Map<string, Fetched<unknown>>();
const listeners = new Set<() => void>();
/** Settled responses kept (a session may open hundreds of units; each response is a few KB). */
const KEEP = 64;

function load(url: string) {
  if (states.has(url)) return;
  states.set(url, LOADING);
  const done = (s: Fetched<unknown>) => {
    states.set(url, s);
    while (states.size > KEEP) states.delete(states.keys().next().value!);
    for (const f of listeners) f();
  };
  fetch(url)
    .then(async (r) => {
      const body = await r.json().catch(() => null);
      done(r.ok ? { status: "done", value: body } : { status: "failed", message: body?.error?.message ?? `HTTP ${r.status}` });
    })
    .catch((e: Error) => done({ status: "failed", message: e.message }));
}

const subscribe = (f: () => void) => {
  listeners.add(f);
  return () => void listeners.delete(f);
};

/** The JSON body of GET `url` (fetched once per page, after hydration), as `pick` takes it. */
export function useFetched<T>(url: string, pick: (body: never) => T): Fetched<T> {
  useEffect(() => load(url), [url]);
  const s = useSyncExternalStore(subscribe, () => states.get(url) ?? LOADING, () => LOADING);
  return s.status === "done" ? { status: "done", value: pick(s.value as never) } : s;
}
