"use client";
/**
 * The recorded text, one span per character, colored by a unit's value (or by
 * the model's surprise), scrollable through the whole recording.
 *
 * The server renders a window around the selection (?at=), so colored text
 * shows before any script runs. Once the recording's text has arrived (once
 * per recording, text-data.ts), the view lays it out in rows of a monospace
 * grid (lib/ui/text-layout.ts) and keeps only the rows near the screen in the
 * DOM, in pages of PAGE_ROWS rows, fetching the unit's values for them block
 * by block. Hover a character for its offset and value; click it to select it
 * (?at=, written in place: selection.ts; the inspector follows it); arrow keys
 * move the selection.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { flushSync } from "react-dom";
import { css, surpriseColor, valueColor, type ScaleName } from "@/lib/ui/color.ts";
import { chunkHtml, chunkOffset, rowsHtml } from "@/lib/ui/text-html.ts";
import { layoutRows, rowOf } from "@/lib/ui/text-layout.ts";
import { matchHref, type ColorMode } from "@/lib/ui/urls.ts";
import { MAX_MATCH_SPAN } from "@/lib/api/limits.ts";
import { unpackValues, type UnitKind } from "@/lib/store/quantize.ts";
import { currentOffset, selectOffset, useSelectedOffset } from "./selection.ts";
import { BLOCK, BLOCK_BITS, BlockLoader, getBlock, loadText, putRange, valueAt, type Source } from "./text-data.ts";

export interface TextChunk {
  start: number;
  text: string;
  values: number[];
  surprise?: (number | null)[];
}

/** A TextChunk as the page sends it: values as the stored bytes in base64 (6144 floats made the page's payload 40 KB). */
export type PackedTextChunk = Omit<TextChunk, "values"> & { packed: string };

/** Every row's height in px (CSS: .vr). */
const ROW_H = 22;
/** Rows rendered together, as one HTML string. */
const PAGE_ROWS = 8;
/** Rows kept in the DOM beyond each edge of the screen. */
const OVERSCAN = 12;
/** Blocks of values fetched beyond each edge of the screen. */
const PREFETCH = 4;
/**
 * Characters of the server's window rendered until the view is laid out (a
 * desktop screenful: 24 rows of prose), up to STATIC_BEFORE of them before the
 * selection. Every cell page renders them, so no more than that.
 */
const STATIC_CHARS = 1800, STATIC_BEFORE = 600;

interface Props {
  model: string;
  /** The recording's id (the text is cached under it). */
  recording: number;
  unit: string;
  kind: string;
  scale: ScaleName;
  mode: ColorMode;
  /** The server's window of text around the selection, its values as stored bytes in base64 (unpackValues). */
  initial: PackedTextChunk;
  total: number;
}

interface Laid {
  chars: string[];
  starts: Int32Array;
}

const fmt = (n: number) => n.toLocaleString("en-US");

/** One page of rows; re-rendered only when its blocks arrive, the selection enters or leaves it, or the colors change. */
const Page = memo(function Page({ laid, page, color, selected }: { laid: Laid; page: number; color: (o: number) => string | null; ready: number; selected: number }) {
  const first = page * PAGE_ROWS;
  return <div className="vp" style={{ top: first * ROW_H, height: PAGE_ROWS * ROW_H }} dangerouslySetInnerHTML={{ __html: rowsHtml(laid, first, first + PAGE_ROWS, color, selected) }} />;
});

function describe(c: string): string {
  if (c === "\n") return "newline ↵";
  if (c === " ") return "space";
  if (c === "\t") return "tab";
  return `“${c}”`;
}

export function TextView({ model, recording, unit, kind, scale, mode, initial: packed, total }: Props) {
  const initial = useMemo<TextChunk>(() => ({ start: packed.start, text: packed.text, values: unpackValues(packed.packed, kind as UnitKind), surprise: packed.surprise }), [packed, kind]);
  // The selection is the URL's ?at=, changed in place (selection.ts): a click redraws one page of rows, nothing more.
  const selected = useSelectedOffset(total);
  const src = useMemo<Source>(() => ({ model, recording, unit, mode }), [model, recording, unit, mode]);
  // The server's window fills the first blocks (idempotent), so the rows around the selection are colored at once.
  useMemo(() => putRange(src, initial, total), [src, initial, total]);

  const [chars, setChars] = useState<string[] | null>(null);
  const [cols, setCols] = useState(0);
  const [pages, setPages] = useState<[number, number]>([0, -1]);
  const pagesRef = useRef(pages);
  const [, setArrivals] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [hover, setHover] = useState<{ o: number; left: number; top: number } | null>(null);
  /** A span of text selected with the mouse (select and match: /models/M/match). */
  const [span, setSpan] = useState<{ from: number; to: number } | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const probe = useRef<HTMLSpanElement>(null);
  const status = useRef<HTMLParagraphElement>(null);
  const loader = useRef<BlockLoader | null>(null);
  /** The character at the top of the screen and how far its row's top sits below the screen's top (px): kept across a change of layout. */
  const anchor = useRef<{ offset: number; delta: number } | null>(null);
  const grid = useRef({ chW: 0, pad: 0 });
  /** Where the view last scrolled itself (−1: since then, the reader has). */
  const placed = useRef(-1);

  const laid = useMemo<Laid | null>(() => (chars && cols ? { chars, starts: layoutRows(chars, cols) } : null), [chars, cols]);
  const laidRef = useRef(laid);
  laidRef.current = laid;

  // The static window: the server's text around the selection it rendered (a later click does not move it).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const first = useMemo(() => selected, [initial]);
  const stat = useMemo(() => {
    const all = Array.from(initial.text);
    const centre = first !== undefined && first >= initial.start && first < initial.start + all.length ? first : initial.start;
    const from = Math.max(initial.start, Math.min(centre - STATIC_BEFORE, initial.start + all.length - STATIC_CHARS));
    const to = Math.min(initial.start + all.length, from + STATIC_CHARS);
    const i = from - initial.start, j = to - initial.start;
    return { start: from, end: to, chars: all.slice(i, j), values: initial.values.slice(i, j), surprise: initial.surprise?.slice(i, j) };
  }, [initial, first]);

  const color = useMemo(() => {
    return (o: number): string | null => {
      const b = getBlock(src, o >> BLOCK_BITS);
      if (!b) return null;
      const i = o & (BLOCK - 1);
      return css(src.mode === "surprise" ? surpriseColor(b.surprise?.[i] ?? NaN) : valueColor(b.values[i], kind, scale));
    };
  }, [src, kind, scale]);

  /** The first character on screen (virtual or static) and its row's distance from the screen's top. */
  const captureAnchor = useCallback(() => {
    const box = scroller.current;
    if (!box) return;
    const l = laidRef.current;
    if (l) {
      const r = Math.max(0, Math.min(l.starts.length - 1, Math.floor((box.scrollTop - grid.current.pad) / ROW_H)));
      anchor.current = { offset: l.starts[r], delta: grid.current.pad + r * ROW_H - box.scrollTop };
      return;
    }
    for (const el of box.querySelectorAll<HTMLElement>("span[data-chunk] > span")) {
      if (el.offsetTop + el.offsetHeight > box.scrollTop) {
        anchor.current = { offset: chunkOffset(el)!, delta: el.offsetTop - box.scrollTop };
        return;
      }
    }
  }, []);

  // Column count from the font's character width and the box's width; again on resize.
  useLayoutEffect(() => {
    const box = scroller.current, p = probe.current;
    if (!box || !p) return;
    const measure = () => {
      const s = getComputedStyle(box);
      grid.current = { chW: p.getBoundingClientRect().width / 100, pad: parseFloat(s.paddingTop) || 0 };
      const inner = box.clientWidth - (parseFloat(s.paddingLeft) || 0) - (parseFloat(s.paddingRight) || 0);
      // One column spare for a hanging ↵ or space.
      const n = Math.max(8, Math.floor(inner / grid.current.chW) - 1);
      setCols((c) => {
        if (c !== n) captureAnchor();
        return n;
      });
    };
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(measure);
    ro.observe(box);
    return () => ro.disconnect();
  }, [captureAnchor]);

  // The recording's text (cached per recording): the view goes virtual when it arrives.
  useEffect(() => {
    let live = true;
    loadText(model, recording)
      .then((c) => {
        if (!live) return;
        if (c.length !== total) throw new Error(`the text has ${c.length} characters, the recording ${total}`);
        captureAnchor();
        setChars(c);
      })
      .catch((e: Error) => live && setError(`could not load the whole text (showing a window of it): ${e.message}`));
    return () => {
      live = false;
    };
  }, [model, recording, total, captureAnchor]);

  useEffect(() => {
    const l = new BlockLoader(src, total, () => setArrivals((n) => n + 1), setError);
    loader.current = l;
    return () => l.close();
  }, [src, total]);

  /** Works out the rows on screen: which pages to render, which blocks to fetch, the range shown. */
  const update = useCallback((byReader = false) => {
    const box = scroller.current, l = laidRef.current;
    if (!box || !l) return;
    const rows = l.starts.length;
    const top = box.scrollTop - grid.current.pad;
    const r0 = Math.max(0, Math.floor(top / ROW_H));
    const r1 = Math.min(rows - 1, Math.floor((top + box.clientHeight) / ROW_H));
    const p0 = Math.floor(Math.max(0, r0 - OVERSCAN) / PAGE_ROWS);
    const p1 = Math.floor(Math.min(rows - 1, r1 + OVERSCAN) / PAGE_ROWS);
    if (p0 !== pagesRef.current[0] || p1 !== pagesRef.current[1]) {
      pagesRef.current = [p0, p1];
      // When the reader scrolls, new pages render before the frame is painted (no blank rows flash by).
      if (byReader) flushSync(() => setPages([p0, p1]));
      else setPages([p0, p1]);
    }
    const o0 = l.starts[r0], o1 = r1 + 1 < rows ? l.starts[r1 + 1] - 1 : total - 1;
    const b0 = o0 >> BLOCK_BITS, b1 = o1 >> BLOCK_BITS;
    // Blocks beyond the screen only once the reader scrolls: opening a page asks the server for nothing more.
    const ahead = byReader ? PREFETCH : 0;
    loader.current?.want(b0, b1, b0 - ahead, b1 + ahead);
    if (status.current) status.current.textContent = `characters ${fmt(o0)}–${fmt(Math.max(o0, o1))} of ${fmt(total)}`;
  }, [total]);

  // After a new layout: put the anchor back where it was (or the selection in the middle), then fill the screen.
  useLayoutEffect(() => {
    const box = scroller.current;
    if (!laid || !box) return;
    const a = anchor.current;
    anchor.current = null;
    if (a) scrollTo(box, grid.current.pad + rowOf(laid.starts, a.offset) * ROW_H - a.delta);
    else if (selected !== undefined) scrollTo(box, grid.current.pad + rowOf(laid.starts, selected) * ROW_H - box.clientHeight / 2);
    update();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [laid, update]);

  // A new selection from the URL (a snippet link, arrow keys, back/forward): bring it on screen.
  useLayoutEffect(() => {
    const box = scroller.current;
    if (!box || selected === undefined) return;
    const l = laidRef.current;
    if (l) {
      const y = grid.current.pad + rowOf(l.starts, selected) * ROW_H;
      if (y < box.scrollTop || y + ROW_H > box.scrollTop + box.clientHeight) {
        scrollTo(box, y - box.clientHeight / 2);
        update();
      }
      return;
    }
    const el = box.querySelector<HTMLElement>(".sel");
    if (el && (el.offsetTop < box.scrollTop || el.offsetTop + el.offsetHeight > box.scrollTop + box.clientHeight)) box.scrollTop = Math.max(0, el.offsetTop - box.clientHeight / 2);
  }, [selected, initial, update]);

  /** Scrolls for the view itself (placing the anchor or the selection): its scroll event is not the reader's. */
  const scrollTo = (box: HTMLElement, top: number) => {
    box.scrollTop = top;
    placed.current = box.scrollTop;
  };
  const onScroll = () => {
    const box = scroller.current;
    const byReader = !box || box.scrollTop !== placed.current;
    placed.current = -1;
    update(byReader);
  };

  const charAt = (o: number) => (chars ? chars[o] : o >= stat.start && o < stat.end ? stat.chars[o - stat.start] : undefined);

  const onOver = (e: React.MouseEvent) => {
    const t = e.target as HTMLElement;
    const o = chunkOffset(t);
    if (o === undefined || !wrapper.current) return;
    const r = t.getBoundingClientRect();
    const w = wrapper.current.getBoundingClientRect();
    setHover({ o, left: Math.min(Math.max(0, r.left - w.left), w.width - 220), top: r.top - w.top });
  };

  const select = (o: number, replace = false) => selectOffset(model, unit, o, { replace });

  /** The characters a mouse selection covers (one span per character), or null. */
  const onMouseUp = () => {
    const sel = window.getSelection();
    const box = scroller.current;
    if (!sel || sel.isCollapsed || !sel.rangeCount || !box) return setSpan(null);
    const r = sel.getRangeAt(0);
    const spanOf = (n: Node) => (n.nodeType === Node.TEXT_NODE ? n.parentElement : (n as Element));
    const a = spanOf(r.startContainer), b = spanOf(r.endContainer);
    if (!a || !b || !box.contains(a) || !box.contains(b)) return setSpan(null);
    const oa = chunkOffset(a), ob = chunkOffset(b);
    if (oa === undefined || ob === undefined) return setSpan(null);
    // A selection that starts after a character's text, or ends before one's, leaves that character out.
    const from = oa + (r.startContainer.nodeType === Node.TEXT_NODE && r.startOffset >= (r.startContainer.textContent ?? "").length ? 1 : 0);
    const to = ob + (r.endOffset > 0 ? 1 : 0);
    setSpan(to > from ? { from, to } : null);
  };

  const onClick = (e: React.MouseEvent) => {
    const o = chunkOffset(e.target as HTMLElement);
    if (o !== undefined) select(o);
  };

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    // From the URL itself: presses in a row come faster than the page re-renders.
    const now = currentOffset();
    const cur = (now !== undefined && now < total ? now : undefined) ?? anchor.current?.offset ?? stat.start;
    select(Math.min(total - 1, Math.max(0, cur + (e.key === "ArrowRight" ? 1 : -1))), true);
  };

  const hoverChar = hover ? charAt(hover.o) : undefined;
  const hoverValue = hover ? valueAt(src, hover.o) : null;
  const label = `Text colored by ${mode === "surprise" ? "the model’s surprise" : `unit ${unit}`}, ${fmt(total)} characters. Click a character to inspect it; arrow keys move the selection.`;

  let body: React.ReactNode;
  if (laid) {
    const pageList: number[] = [];
    for (let p = pages[0]; p <= pages[1]; p++) pageList.push(p);
    body = (
      <div className="relative overflow-hidden" style={{ height: laid.starts.length * ROW_H }}>
        {pageList.map((p) => {
          const r0 = p * PAGE_ROWS, r1 = Math.min(laid.starts.length, r0 + PAGE_ROWS);
          const o0 = laid.starts[r0], o1 = r1 < laid.starts.length ? laid.starts[r1] : total;
          let ready = 0;
          for (let b = o0 >> BLOCK_BITS; b <= (o1 - 1) >> BLOCK_BITS; b++) if (getBlock(src, b)) ready++;
          const sel = selected !== undefined && selected >= o0 && selected < o1 ? selected : -1;
          return <Page key={p} laid={laid} page={p} color={color} ready={ready} selected={sel} />;
        })}
      </div>
    );
  } else {
    const html = chunkHtml({ start: stat.start, chars: stat.chars, values: stat.values, surprise: stat.surprise }, kind, scale, mode, selected ?? -1);
    body = <span data-chunk={stat.start} dangerouslySetInnerHTML={{ __html: html }} />;
  }

  return (
    <div ref={wrapper} className="relative">
      <div
        ref={scroller}
        className={`acts relative h-[60vh] overflow-y-auto rounded-md border border-stone-300 bg-white p-3 font-mono text-[14px] leading-[1.6] text-stone-900 sm:h-[68vh] ${laid ? "virtual" : ""}`}
        data-testid="text-view"
        data-mode={laid ? "virtual" : "window"}
        tabIndex={0}
        aria-label={label}
        onScroll={laid ? onScroll : undefined}
        onMouseOver={onOver}
        onMouseLeave={() => setHover(null)}
        onMouseUp={onMouseUp}
        onClick={onClick}
        onKeyDown={onKey}
      >
        <span ref={probe} aria-hidden="true" className="pointer-events-none invisible absolute top-0 left-0 whitespace-pre">
          {"0".repeat(100)}
        </span>
        {body}
      </div>
      {/* Once laid out, update() writes the range on screen here as it scrolls (no re-render per row). */}
      <p ref={status} className="num mt-1 text-xs text-stone-500" data-testid="text-range">
        {laid ? null : `characters ${fmt(stat.start)}–${fmt(stat.end - 1)} of ${fmt(total)}`}
      </p>
      {hover && hoverChar !== undefined && (
        <div
          role="tooltip"
          data-testid="char-tooltip"
          className="pointer-events-none absolute z-20 w-[220px] -translate-y-full rounded border border-stone-700 bg-stone-900 px-2 py-1 font-mono text-xs text-stone-50 shadow"
          style={{ left: hover.left, top: hover.top - 4 }}
        >
          <div>{describe(hoverChar)}</div>
          <div>offset {fmt(hover.o)}</div>
          {hoverValue ? (
            <div>
              {unit} value {hoverValue.value >= 0 ? "+" : "−"}
              {Math.abs(hoverValue.value).toFixed(3)}
            </div>
          ) : (
            <div>{unit} value: loading…</div>
          )}
          {mode === "surprise" && hoverValue && <div>surprise {hoverValue.surprise === null ? "—" : `${(hoverValue.surprise / Math.LN2).toFixed(2)} bits`}</div>}
        </div>
      )}
      {span && (
        <p className="mt-1 flex flex-wrap items-center gap-2 text-sm" data-testid="span-selection">
          <span className="text-stone-600">
            Selected offsets {fmt(span.from)}–{fmt(span.to - 1)} ({span.to - span.from === 1 ? "1 character" : `${fmt(span.to - span.from)} characters`})
          </span>
          {span.to - span.from <= MAX_MATCH_SPAN ? (
            <a href={matchHref(model, { from: span.from, to: span.to, scale })} className="btn" data-testid="match-span-link">
              Where else do these units fire?
            </a>
          ) : (
            <span className="text-stone-500">select at most {MAX_MATCH_SPAN} to match it</span>
          )}
        </p>
      )}
      {error && (
        <p role="alert" className="mt-1 text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
