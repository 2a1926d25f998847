"use client";
/**
 * The cell page's inspector: the model's state at the selected character
 * (?at=, see selection.ts), fetched in the browser from
 * GET /api/models/M/inspect?at= so that a click costs one small request, not
 * a server render of the page.
 *
 * At once, with no request: the offset, the character and the unit's value
 * there (from the text view's caches). The rest (guesses, loss, every unit)
 * follows; meanwhile the previous character's stay, dimmed, under a pending
 * cue. One request at a time: a selection that changes while one is in
 * flight waits for it and then asks for the latest offset only, and one that
 * changes again within BURST ms of the last (arrow keys pressed in a row, or
 * held down) asks once the keys pause; an answer for an offset no longer
 * selected is dropped. Answers
 * are kept for the last few offsets (back and forward cost nothing).
 *
 * Below the lg breakpoint (phones) it is a bottom sheet pinned to the screen,
 * which can be folded down to its title.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { InspectedChar } from "@/lib/inspect/inspect-char.ts";
import type { ScaleName } from "@/lib/ui/color.ts";
import type { ColorMode } from "@/lib/ui/urls.ts";
import { InspectorBody } from "./InspectorBody.tsx";
import { int, nameChar, signed } from "./format.ts";
import { useSelectedOffset } from "./selection.ts";
import { fetchJson, peekText, valueAt } from "./text-data.ts";

interface Props {
  model: string;
  recording: number;
  unit: string;
  scale: ScaleName;
  mode: ColorMode;
  total: number;
}

/** A change this soon (ms) after the previous one waits for the next pause before asking the server. */
const BURST = 150;
/** The most of the screen's height the phone's bottom sheet takes (its max-h-[45vh]). */
const SHEET_MAX = 0.45;
/** Answers kept per page (offset → data). */
const KEEP = 32;
const answers = new Map<string, InspectedChar>();
const keyOf = (model: string, recording: number, at: number) => `${model}\0${recording}\0${at}`;
function remember(k: string, d: InspectedChar) {
  answers.delete(k);
  answers.set(k, d);
  while (answers.size > KEEP) answers.delete(answers.keys().next().value!);
}

export function CellInspector({ model, recording, unit, scale, mode, total }: Props) {
  const at = useSelectedOffset(total);
  const [shown, setShown] = useState<InspectedChar | null>(() => (at === undefined ? null : (answers.get(keyOf(model, recording, at)) ?? null)));
  const [error, setError] = useState<{ at: number; message: string } | null>(null);
  const [folded, setFolded] = useState(false);
  /** The offset wanted now, and whether a request is in flight (refs: read by the request's callbacks). */
  const wanted = useRef(at);
  const busy = useRef<AbortController | null>(null);
  const lastChange = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const ask = useCallback(() => {
    const target = wanted.current;
    if (busy.current || target === undefined) return;
    const k = keyOf(model, recording, target);
    const have = answers.get(k);
    if (have) {
      setShown(have);
      return;
    }
    const ac = new AbortController();
    busy.current = ac;
    fetchJson(`/api/models/${encodeURIComponent(model)}/inspect?at=${target}`, ac.signal)
      .then((d) => {
        remember(k, d as InspectedChar);
        if (wanted.current === target) setShown(d as InspectedChar);
      })
      .catch((e: Error) => {
        if (!ac.signal.aborted && wanted.current === target) setError({ at: target, message: e.message });
      })
      .finally(() => {
        if (busy.current !== ac) return; // aborted and replaced
        busy.current = null;
        // The selection moved on meanwhile: ask for where it is now.
        if (wanted.current !== target) ask();
      });
  }, [model, recording]);

  useEffect(() => {
    wanted.current = at;
    setError(null);
    setFolded(false);
    const now = performance.now();
    const burst = now - lastChange.current < BURST;
    lastChange.current = now;
    clearTimeout(timer.current);
    if (burst) timer.current = setTimeout(ask, BURST);
    else ask();
  }, [at, ask]);
  // On a phone the sheet covers the lower part of the screen: scroll the page so the character just tapped stays in sight above it.
  const sheet = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    const el = sheet.current;
    if (at === undefined || !el || getComputedStyle(el).position !== "fixed") return;
    const ch = document.querySelector('[data-testid="text-view"] [aria-current="true"]');
    if (!ch) return;
    const top = window.innerHeight * (1 - SHEET_MAX) - 8;
    const r = ch.getBoundingClientRect();
    if (r.bottom > top) window.scrollBy({ top: r.bottom - top + r.height });
  }, [at]);
  useEffect(
    () => () => {
      clearTimeout(timer.current);
      busy.current?.abort();
      busy.current = null;
    },
    [ask],
  );

  if (at === undefined) {
    return (
      <section className="panel text-sm text-stone-600" data-testid="inspector-hint">
        <h2 className="panel-title">Inspector</h2>
        <span className="pointer-coarse:hidden">Click</span>
        <span className="hidden pointer-coarse:inline">Tap</span> a character to see every unit at it and the model’s guesses for the next one.
      </section>
    );
  }

  const d = shown?.model === model ? shown : null;
  const pending = d?.at !== at && error?.at !== at;
  const char = peekText(model, recording)?.[at] ?? (d?.at === at ? d.char : undefined);
  const v = valueAt({ model, recording, unit, mode }, at);
  return (
    <section
      ref={sheet}
      className="panel max-lg:fixed max-lg:!m-0 max-lg:inset-x-0 max-lg:bottom-0 max-lg:z-30 max-lg:max-h-[45vh] max-lg:overflow-y-auto max-lg:rounded-none max-lg:border-x-0 max-lg:border-b-0 max-lg:shadow-[0_-4px_16px_rgba(0,0,0,0.15)]"
      aria-labelledby="inspector-title"
      aria-busy={pending}
      data-testid="inspector"
      data-pending={pending ? "" : undefined}
    >
      <div className="flex items-start justify-between gap-2">
        <h2 id="inspector-title" className="panel-title">
          Inspector · offset <span className="num">{int(at)}</span>
        </h2>
        <button type="button" className="btn px-2 py-0 text-xs lg:hidden" aria-expanded={!folded} aria-controls="inspector-body" onClick={() => setFolded((f) => !f)}>
          {folded ? "Show" : "Hide"}
        </button>
      </div>
      <p className="mb-2 font-mono text-sm text-stone-800" data-testid="inspector-now">
        {char !== undefined ? nameChar(char) : "…"}
        {v && (
          <>
            {" · "}
            {unit} <span className="num">{signed(v.value)}</span>
            {mode === "surprise" && v.surprise !== null && <> · surprise <span className="num">{(v.surprise / Math.LN2).toFixed(2)} bits</span></>}
          </>
        )}
      </p>
      <div id="inspector-body" className={folded ? "max-lg:hidden" : undefined}>
        {pending && (
          <p className="mb-1 text-xs text-stone-500" role="status" data-testid="inspector-pending">
            loading the model’s state here…
          </p>
        )}
        {error?.at === at ? (
          <p role="alert" className="text-sm text-red-700">
            could not inspect offset {int(at)}: {error.message}
          </p>
        ) : (
          d && (
            <div className={pending ? "opacity-40 transition-opacity" : undefined} aria-hidden={pending || undefined}>
              <InspectorBody d={d} model={model} unit={unit} scale={scale} mode={mode} />
            </div>
          )
        )}
      </div>
    </section>
  );
}
