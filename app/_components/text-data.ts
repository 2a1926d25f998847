/**
 * The text view's data in the browser: each recording's whole text (fetched
 * once, the same for every unit) and a unit's values in aligned blocks of
 * BLOCK characters, fetched as the rows that need them come on screen. Both
 * caches live at module level, so they outlast a client-side move to the next
 * unit (j/k) and back.
 */

import { TEXT_BLOCK, TEXT_BLOCK_BITS } from "@/lib/ui/urls.ts";

/** Characters per block of values (the server's first window is whole blocks too): block = offset >> BLOCK_BITS. */
export const BLOCK_BITS = TEXT_BLOCK_BITS;
export const BLOCK = TEXT_BLOCK;
/** At most this many blocks per request (the activations API allows 20,000 characters). */
const RUN = 8;
/** Requests in flight at once per text view. */
const PARALLEL = 2;
/** Blocks kept in the browser (about 1.2 M values). */
const KEEP = 600;

/** What a text view colors: one unit of one recording, by its value or by the model's surprise. */
export interface Source {
  model: string;
  recording: number;
  unit: string;
  mode: "unit" | "surprise";
}

export interface Block {
  values: number[];
  surprise?: (number | null)[];
}

const texts = new Map<string, Promise<string[]>>();
/** The texts that have arrived, for reading without waiting (the inspector's first line). */
const arrived = new Map<string, string[]>();

/** The recording's text as code points. */
export function loadText(model: string, recording: number): Promise<string[]> {
  const key = `${model}\0${recording}`;
  let p = texts.get(key);
  if (!p) {
    p = fetchJson(`/api/models/${encodeURIComponent(model)}/text?recording=${recording}`).then((b) => {
      const chars = Array.from((b as { text: string }).text);
      arrived.set(key, chars);
      while (arrived.size > 3) arrived.delete(arrived.keys().next().value!);
      return chars;
    });
    texts.set(key, p);
    p.catch(() => texts.delete(key));
    while (texts.size > 3) texts.delete(texts.keys().next().value!);
  }
  return p;
}

/** The recording's text if it has arrived already. */
export function peekText(model: string, recording: number): string[] | undefined {
  return arrived.get(`${model}\0${recording}`);
}

const blocks = new Map<string, Block>();
const keyOf = (s: Source, b: number) => `${s.model}\0${s.recording}\0${s.unit}\0${s.mode}\0${b}`;

export function getBlock(s: Source, b: number): Block | undefined {
  return blocks.get(keyOf(s, b));
}

/** The value (and surprise) at one offset, if its block is here. */
export function valueAt(s: Source, o: number): { value: number; surprise: number | null } | null {
  const b = getBlock(s, o >> BLOCK_BITS);
  if (!b) return null;
  const i = o & (BLOCK - 1);
  return { value: b.values[i], surprise: b.surprise?.[i] ?? null };
}

function putBlock(s: Source, b: number, block: Block) {
  const key = keyOf(s, b);
  blocks.delete(key);
  blocks.set(key, block);
  while (blocks.size > KEEP) blocks.delete(blocks.keys().next().value!);
}

/** Stores the whole blocks inside a range of values (the server's first window, or a fetched run). */
export function putRange(s: Source, r: { start: number; values: number[]; surprise?: (number | null)[] }, total: number) {
  const end = r.start + r.values.length;
  for (let b = Math.ceil(r.start / BLOCK); b * BLOCK < end; b++) {
    const from = b * BLOCK, to = Math.min(from + BLOCK, total);
    if (to > end) break;
    const i = from - r.start, j = to - r.start;
    putBlock(s, b, { values: r.values.slice(i, j), surprise: r.surprise?.slice(i, j) });
  }
}

export async function fetchJson(url: string, signal?: AbortSignal): Promise<unknown> {
  const res = await fetch(url, { signal });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  return body;
}

/**
 * Fetches the blocks a text view wants, nearest to the screen first, a few
 * requests at a time; each `want` replaces the previous wish (so a fast scroll
 * does not queue up blocks it has already left behind).
 */
export class BlockLoader {
  private visible: [number, number] = [0, -1];
  private around: [number, number] = [0, -1];
  private inflight = 0;
  private readonly pending = new Set<number>();
  /** Blocks whose request failed: not asked for again by this view (the error is shown). */
  private readonly failed = new Set<number>();
  private closed = false;

  constructor(
    private readonly src: Source,
    private readonly total: number,
    private readonly onLoad: () => void,
    private readonly onError: (message: string) => void,
  ) {}

  /** Blocks [v0, v1] are on screen; [a0, a1] (wider) are worth having. */
  want(v0: number, v1: number, a0: number, a1: number) {
    const last = Math.ceil(this.total / BLOCK) - 1;
    this.visible = [Math.max(0, v0), Math.min(last, v1)];
    this.around = [Math.max(0, a0), Math.min(last, a1)];
    this.pump();
  }

  close() {
    this.closed = true;
  }

  private missing = (b: number) => !this.pending.has(b) && !this.failed.has(b) && !getBlock(this.src, b);

  /** The next run of missing blocks: on screen first, then below, then above. */
  private nextRun(): [number, number] | null {
    const [v0, v1] = this.visible, [a0, a1] = this.around;
    const order: number[] = [];
    for (let b = v0; b <= v1; b++) order.push(b);
    for (let b = v1 + 1; b <= a1; b++) order.push(b);
    for (let b = v0 - 1; b >= a0; b--) order.push(b);
    const first = order.find(this.missing);
    if (first === undefined) return null;
    // A run on screen stops at the screen's edge: a small first answer colors the screen soonest.
    const limit = first >= v0 && first <= v1 ? v1 : a1;
    let end = first;
    while (end + 1 - first < RUN && end + 1 <= limit && this.missing(end + 1)) end++;
    return [first, end];
  }

  private pump() {
    while (!this.closed && this.inflight < PARALLEL) {
      const run = this.nextRun();
      if (!run) return;
      const [b0, b1] = run;
      for (let b = b0; b <= b1; b++) this.pending.add(b);
      this.inflight++;
      const { model, unit, mode } = this.src;
      const start = b0 * BLOCK, end = Math.min(this.total, (b1 + 1) * BLOCK);
      const url = `/api/models/${encodeURIComponent(model)}/units/${unit}/activations?start=${start}&end=${end}${mode === "surprise" ? "&surprise=1" : ""}`;
      fetchJson(url)
        .then((body) => {
          putRange(this.src, body as Block & { start: number }, this.total);
          if (!this.closed) this.onLoad();
        })
        .catch((e: Error) => {
          for (let b = b0; b <= b1; b++) this.failed.add(b);
          if (!this.closed) this.onError(`could not load the unit's values at ${start.toLocaleString("en-US")}–${end.toLocaleString("en-US")}: ${e.message}`);
        })
        .finally(() => {
          for (let b = b0; b <= b1; b++) this.pending.delete(b);
          this.inflight--;
          this.pump();
        });
    }
  }
}
