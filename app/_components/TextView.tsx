"use client";
/**
 * The recorded text, one span per character, colored by a unit's value (or by
 * the model's surprise). Hover a character for its offset and value; click it
 * to select it (?at=, which opens the inspector). Scrolling near either end
 * fetches the neighbouring text from the activations API, up to MAX_LOADED
 * characters; past that, a link opens a fresh window there.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { ScaleName } from "@/lib/ui/color.ts";
import { chunkHtml } from "@/lib/ui/text-html.ts";
import { cellHref, type ColorMode } from "@/lib/ui/urls.ts";

export interface TextChunk {
  start: number;
  text: string;
  values: number[];
  surprise?: (number | null)[];
}

const STEP = 4000;
const MAX_LOADED = 40_000;

interface Props {
  model: string;
  unit: string;
  kind: string;
  scale: ScaleName;
  mode: ColorMode;
  initial: TextChunk;
  total: number;
  selected?: number;
}

interface Prepared extends TextChunk {
  chars: string[];
  end: number;
}

const prepare = (c: TextChunk): Prepared => {
  const chars = Array.from(c.text);
  return { ...c, chars, end: c.start + chars.length };
};

const ChunkSpans = memo(function ChunkSpans({ chunk, kind, scale, mode, selected }: { chunk: Prepared; kind: string; scale: ScaleName; mode: ColorMode; selected: number }) {
  return <span data-chunk={chunk.start} dangerouslySetInnerHTML={{ __html: chunkHtml(chunk, kind, scale, mode, selected) }} />;
});

function describe(c: string): string {
  if (c === "\n") return "newline ↵";
  if (c === " ") return "space";
  if (c === "\t") return "tab";
  return `“${c}”`;
}

export function TextView({ model, unit, kind, scale, mode, initial, total, selected }: Props) {
  const router = useRouter();
  const [chunks, setChunks] = useState<Prepared[]>(() => [prepare(initial)]);
  const [seen, setSeen] = useState(initial);
  const [reset, setReset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [hover, setHover] = useState<{ o: number; left: number; top: number } | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const loading = useRef(false);
  const keepFrom = useRef<number | null>(null);

  // New props from the server (a new ?at=): keep what is loaded when it covers the selection.
  if (initial !== seen) {
    setSeen(initial);
    const lo = chunks[0].start, hi = chunks[chunks.length - 1].end;
    const target = selected ?? initial.start;
    if (target < lo || target >= hi) {
      setChunks([prepare(initial)]);
      setReset((r) => r + 1);
    }
  }

  const lo = chunks[0].start;
  const hi = chunks[chunks.length - 1].end;
  const loaded = hi - lo;

  // Centre the selection (or the window's start) on mount and after a jump.
  useEffect(() => {
    const box = scroller.current;
    if (!box) return;
    const el = box.querySelector<HTMLElement>(".sel");
    if (el) box.scrollTop = Math.max(0, el.offsetTop - box.clientHeight / 2);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reset]);

  // Keep the view still when text is added above it.
  useLayoutEffect(() => {
    const box = scroller.current;
    if (box && keepFrom.current !== null) {
      box.scrollTop += box.scrollHeight - keepFrom.current;
      keepFrom.current = null;
    }
  }, [chunks]);

  const load = useCallback(
    async (dir: "before" | "after") => {
      if (loading.current || loaded >= MAX_LOADED) return;
      const start = dir === "after" ? hi : Math.max(0, lo - STEP);
      const end = dir === "after" ? Math.min(total, hi + STEP) : lo;
      if (end <= start) return;
      loading.current = true;
      try {
        const url = `/api/models/${encodeURIComponent(model)}/units/${unit}/activations?start=${start}&end=${end}${mode === "surprise" ? "&surprise=1" : ""}`;
        const res = await fetch(url);
        const body = await res.json();
        if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
        const chunk = prepare(body as TextChunk);
        if (dir === "before" && scroller.current) keepFrom.current = scroller.current.scrollHeight;
        setChunks((cs) => (dir === "after" ? (cs[cs.length - 1].end === start ? [...cs, chunk] : cs) : cs[0].start === end ? [chunk, ...cs] : cs));
        setError(null);
      } catch (e) {
        setError(`could not load more text: ${(e as Error).message}`);
      } finally {
        loading.current = false;
      }
    },
    [hi, lo, loaded, model, unit, mode, total],
  );

  useEffect(() => {
    const box = scroller.current;
    if (!box || typeof IntersectionObserver === "undefined") return;
    const io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) if (e.isIntersecting) void load((e.target as HTMLElement).dataset.edge as "before" | "after");
      },
      { root: box, rootMargin: "600px 0px" },
    );
    box.querySelectorAll("[data-edge]").forEach((el) => io.observe(el));
    return () => io.disconnect();
  }, [load]);

  const charAt = useCallback(
    (o: number) => {
      const c = chunks.find((x) => o >= x.start && o < x.end);
      if (!c) return null;
      const i = o - c.start;
      return { char: c.chars[i], value: c.values[i], surprise: c.surprise?.[i] ?? null };
    },
    [chunks],
  );

  const onOver = (e: React.MouseEvent) => {
    const t = e.target as HTMLElement;
    const o = t.dataset?.o;
    if (o === undefined || !wrapper.current) return;
    const r = t.getBoundingClientRect();
    const w = wrapper.current.getBoundingClientRect();
    setHover({ o: Number(o), left: Math.min(Math.max(0, r.left - w.left), w.width - 220), top: r.top - w.top });
  };

  const select = (o: number, replace = false) => {
    const href = cellHref(model, unit, { at: o, scale, color: mode });
    if (replace) router.replace(href, { scroll: false });
    else router.push(href, { scroll: false });
  };

  const onClick = (e: React.MouseEvent) => {
    const o = (e.target as HTMLElement).dataset?.o;
    if (o !== undefined) select(Number(o));
  };

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    const cur = selected ?? lo;
    const next = Math.min(total - 1, Math.max(0, cur + (e.key === "ArrowRight" ? 1 : -1)));
    select(next, true);
  };

  const info = hover ? charAt(hover.o) : null;
  const tip = hover && info;

  return (
    <div ref={wrapper} className="relative">
      <div
        ref={scroller}
        className="acts relative h-[60vh] overflow-y-auto rounded-md border border-stone-300 bg-white p-3 font-mono text-[14px] leading-[1.6] text-stone-900 sm:h-[68vh]"
        data-testid="text-view"
        tabIndex={0}
        aria-label={`Text colored by ${mode === "surprise" ? "the model’s surprise" : `unit ${unit}`}, characters ${lo} to ${hi - 1} of ${total}. Click a character to inspect it; arrow keys move the selection.`}
        onMouseOver={onOver}
        onMouseLeave={() => setHover(null)}
        onClick={onClick}
        onKeyDown={onKey}
      >
        {lo > 0 &&
          (loaded < MAX_LOADED ? (
            <div data-edge="before" className="mb-2 text-xs text-stone-400 select-none">
              loading earlier text…
            </div>
          ) : (
            <a className="mb-2 block text-xs text-stone-600 underline" href={cellHref(model, unit, { at: Math.max(0, lo - 1), scale, color: mode })}>
              ↑ continue before offset {lo.toLocaleString("en-US")}
            </a>
          ))}
        {chunks.map((c) => (
          <ChunkSpans key={c.start} chunk={c} kind={kind} scale={scale} mode={mode} selected={selected !== undefined && selected >= c.start && selected < c.end ? selected : -1} />
        ))}
        {hi < total ? (
          loaded < MAX_LOADED ? (
            <div data-edge="after" className="mt-2 text-xs text-stone-400 select-none">
              loading more text…
            </div>
          ) : (
            <a className="mt-2 block text-xs text-stone-600 underline" href={cellHref(model, unit, { at: hi, scale, color: mode })}>
              continue at offset {hi.toLocaleString("en-US")} ↓
            </a>
          )
        ) : (
          <div className="mt-2 text-xs text-stone-400 select-none">— end of the recording —</div>
        )}
      </div>
      {tip && (
        <div
          role="tooltip"
          data-testid="char-tooltip"
          className="pointer-events-none absolute z-20 w-[220px] -translate-y-full rounded border border-stone-700 bg-stone-900 px-2 py-1 font-mono text-xs text-stone-50 shadow"
          style={{ left: hover.left, top: hover.top - 4 }}
        >
          <div>{describe(info.char)}</div>
          <div>offset {hover.o.toLocaleString("en-US")}</div>
          <div>
            {unit} value {info.value >= 0 ? "+" : "−"}
            {Math.abs(info.value).toFixed(3)}
          </div>
          {mode === "surprise" && <div>surprise {info.surprise === null ? "—" : `${(info.surprise / Math.LN2).toFixed(2)} bits`}</div>}
        </div>
      )}
      {error && (
        <p role="alert" className="mt-1 text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
