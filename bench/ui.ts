/**
 * Explorer latency and smoothness, driven in real Chromium against `next
 * start` on an existing store (run `npm start` or `cellscope setup` + `next
 * build` first).
 *
 * Latency: for the cell page and the search page, the server response time
 * (navigation timing: request start → response start) and the time until the
 * page's main content is visible, over many different units/queries, and the
 * same for /api/health as the same-run baseline of a trivial route. Each page
 * is requested once the previous one has settled (network idle).
 *
 * Scrolling (the cell page's text view over the whole recording, see
 * scrollText below; the recording with the most characters unless --model):
 * frame times and long tasks against idle frames, scrolling top to bottom a
 * screen per frame and 100 screens at wheel speed; how often the middle of the
 * screen was not yet drawn or not yet colored; the most characters in the DOM
 * at once; the time to colored text at far offsets, opening `?at=` and
 * scrolling there.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { createPrisma } from "../lib/db.ts";
import { findRecording } from "../lib/store/recordings.ts";
import { SIGNAL_NAMES } from "../lib/search/signals.ts";

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const round = (x: number) => +x.toFixed(1);

export async function benchUi(o: { model?: string; rounds?: number; port?: number; scroll?: boolean }) {
  const rounds = o.rounds ?? 20;
  const port = o.port ?? 3300;
  const prisma = createPrisma();
  const model = o.model ?? (await prisma.recording.findFirst({ where: { status: "complete" }, orderBy: { chars: "desc" } }))?.modelId;
  if (!model) throw new Error("no recorded model in the store: run npm start (or cellscope setup) first");
  const rec = await findRecording(prisma, model);
  const meta = await prisma.model.findUniqueOrThrow({ where: { id: model } });
  await prisma.$disconnect();

  const root = path.resolve(import.meta.dirname, "..");
  const server = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", String(port)], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        /* not up yet */
      }
      if (i > 300) throw new Error("next start did not come up in 60 s (is the app built?)");
      await new Promise((r) => setTimeout(r, 200));
    }
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const page = await browser.newPage();
    const measure = async (url: string, ready: string) => {
      await page.goto(base + url, { waitUntil: "commit" });
      await page.locator(ready).first().waitFor({ state: "visible", timeout: 30_000 });
      const t = await page.evaluate(() => {
        const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        return { server: n.responseStart - n.requestStart, visible: performance.now() };
      });
      // Let the page finish what it does after showing (hydration, its own requests, Next's link
      // prefetches) before the next one is requested: each page is measured on its own, not
      // sharing the machine with the previous page's tail.
      await page.waitForLoadState("networkidle");
      return t;
    };
    const units = ["c", "h"].flatMap((k) => Array.from({ length: meta.layers }, (_, l) => `${k}:${l}:`));
    // A different query every round: the server answers a repeated search from its cache, and
    // this measures the search itself. Words of the text for regexes, every built-in signal in turn.
    const signals = SIGNAL_NAMES.filter((n) => n !== "is_space"); // is_space warms the server up
    const words = [...new Set(rec.text.match(/[A-Za-z_]{5,}/g) ?? ["the"])];
    const regexes = ["\\bthe\\b", "[.!?]\\s", "\"[^\"]*\"", "\\n\\n", "[A-Z][a-z]+", ...Array.from({ length: rounds }, (_, r) => `\\b${words[(r * 7919) % words.length]}\\b`)];
    const res: Record<string, { server: number[]; visible: number[] }> = { health: { server: [], visible: [] }, cell: { server: [], visible: [] }, search: { server: [], visible: [] } };
    // Warm-up: the first search loads the recording into the server's cache.
    await measure(`/models/${model}/search?signal=is_space`, "main");
    for (let r = 0; r < rounds; r++) {
      const unit = units[r % units.length] + ((r * 37) % meta.hidden);
      const at = (r * 7919) % rec.chars;
      const h = await measure(`/api/health`, "body");
      res.health.server.push(h.server);
      const c = await measure(`/models/${model}/cells/${unit}?at=${at}`, "main");
      res.cell.server.push(c.server);
      res.cell.visible.push(c.visible);
      const q = r % 2 ? `signal=${signals[((r - 1) / 2) % signals.length]}` : `q=${encodeURIComponent(regexes[(r / 2) % regexes.length])}&mode=inside`;
      const s = await measure(`/models/${model}/search?${q}`, "main");
      res.search.server.push(s.server);
      res.search.visible.push(s.visible);
    }
    const scroll = o.scroll === false ? undefined : await scrollText(page, base, model, rec.chars);
    await browser.close();
    const stats = (xs: number[]) => ({ p50Ms: round(pct(xs, 0.5)), p95Ms: round(pct(xs, 0.95)) });
    return {
      bench: "ui",
      model,
      chars: rec.chars,
      rounds,
      baselineHealthServer: stats(res.health.server),
      cellServer: stats(res.cell.server),
      cellVisible: stats(res.cell.visible),
      searchServer: stats(res.search.server),
      searchVisible: stats(res.search.visible),
      ...(scroll ? { scroll } : {}),
      // Scrolling: a wheel-speed pass without long tasks, its frames as steady as idle ones (p95 within
      // twice the idle p95), and the middle of the screen drawn at every step of the fling.
      goals: { cellServerP50Ms: 150, searchServerP50Ms: 200, wheelLongTasks: 0, wheelFrameP95VsIdle: 2, flingMiddleNotDrawn: 0 },
    };
  } finally {
    server.kill("SIGTERM");
  }
}

/** One pass of scrolling in the page: `step` px per animation frame (0: the screen's height) from `from` (a fraction of the height) for `px` pixels (0: to the bottom). */
interface Pass {
  step: number;
  from: number;
  px: number;
}

/**
 * The cell page's text view over the whole recording. Opens a unit at the
 * top and waits until the view has laid out the whole text (data-mode=virtual).
 * Baseline: 200 animation frames with nothing to do (this machine's frame
 * pace). Then two passes of scrolling, recording each
 * frame's duration, long tasks (PerformanceObserver) and whether the row in
 * the middle of the screen was drawn and colored at the frame after each step:
 * "fling", a screen per frame from top to bottom (a held Page Down, faster
 * than any hand); "wheel", 100 px per frame (a fast mouse wheel) over 100
 * screens from a third of the way down. Then colored text at far offsets: by
 * opening `?at=` (server-rendered, navigation-relative) and by scrolling a
 * freshly opened page to a part of the text it has not loaded (until the
 * middle row is colored).
 */
async function scrollText(page: Page, base: string, model: string, chars: number) {
  const unit = "h:1:7";
  // tsx compiles with esbuild's keepNames, which wraps the functions declared
  // inside page.evaluate callbacks in a __name() helper the page lacks.
  await page.addInitScript("self.__name = (f) => f");
  const ready = async (url: string) => {
    await page.goto(base + url, { waitUntil: "commit" });
    await page.locator('[data-testid="text-view"][data-mode="virtual"]').waitFor({ timeout: 30_000 });
    return page.evaluate(() => performance.now());
  };
  const pass = (p: Pass) =>
    page.evaluate(async (p: Pass) => {
      const box = document.querySelector<HTMLElement>('[data-testid="text-view"]')!;
      const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
      const r = box.getBoundingClientRect();
      // The first character of the row in the middle of the screen (the point may fall between
      // the glyph boxes of a row's characters, on the row itself).
      const middle = () => {
        const el = document.elementFromPoint(r.left + 15, r.top + r.height / 2) as HTMLElement | null;
        return (el?.classList.contains("vr") ? el.firstElementChild : el) as HTMLElement | null;
      };
      const step = p.step || box.clientHeight;
      box.scrollTop = p.from * box.scrollHeight;
      await frame();
      await new Promise((res) => setTimeout(res, 300));
      const tasks: number[] = [];
      const po = new PerformanceObserver((l) => l.getEntries().forEach((e) => tasks.push(e.duration)));
      po.observe({ type: "longtask" });
      const frames: number[] = [];
      const end = p.px ? Math.min(box.scrollHeight, box.scrollTop + p.px) : box.scrollHeight;
      let notDrawn = 0, notColored = 0, steps = 0, maxChars = 0;
      const t0 = performance.now();
      let last = await frame();
      while (box.scrollTop + box.clientHeight < end - 1) {
        box.scrollTop += step;
        steps++;
        const t = await frame();
        frames.push(t - last);
        last = t;
        const el = middle();
        if (el?.dataset.o === undefined) notDrawn++;
        else if (!el.style.background) notColored++;
        if (steps % 10 === 0) maxChars = Math.max(maxChars, box.querySelectorAll("span[data-o]").length);
      }
      const ms = performance.now() - t0;
      await new Promise((res) => setTimeout(res, 200));
      po.disconnect();
      return { steps, stepPx: step, ms, frames, tasks, notDrawn, notColored, maxChars, heightPx: box.scrollHeight };
    }, p);
  const ms = (xs: number[]) => ({ p50Ms: round(pct(xs, 0.5)), p95Ms: round(pct(xs, 0.95)), maxMs: round(Math.max(0, ...xs)) });
  const summary = (r: Awaited<ReturnType<typeof pass>>) => ({
    steps: r.steps,
    stepPx: r.stepPx,
    seconds: +(r.ms / 1000).toFixed(2),
    frame: ms(r.frames),
    framesOver50Ms: r.frames.filter((x) => x > 50).length,
    longTasks: { count: r.tasks.length, totalMs: round(r.tasks.reduce((a, b) => a + b, 0)), maxMs: round(Math.max(0, ...r.tasks)) },
    middleNotDrawn: r.notDrawn,
    middleNotColored: r.notColored,
    maxCharsInDom: r.maxChars,
  });

  await ready(`/models/${model}/cells/${unit}`);
  const idle = await page.evaluate(async () => {
    const out: number[] = [];
    let last = await new Promise<number>((r) => requestAnimationFrame(r));
    for (let i = 0; i < 200; i++) {
      const t = await new Promise<number>((r) => requestAnimationFrame(r));
      out.push(t - last);
      last = t;
    }
    return out;
  });
  const fling = await pass({ step: 0, from: 0, px: 0 });
  const wheel = await pass({ step: 100, from: 1 / 3, px: 100 * fling.stepPx });

  // Opening ?at=FAR: the server's window shows it colored; then the whole text is laid out around it.
  const open: { coloredMs: number; laidOutMs: number }[] = [];
  for (const f of [0.95, 0.75, 0.55, 0.35, 0.15]) {
    const at = Math.floor(f * chars);
    await page.goto(`${base}/models/${model}/cells/${unit}?at=${at}`, { waitUntil: "commit" });
    await page.locator(`[data-testid="text-view"] span[data-o="${at}"][style*="background"]`).waitFor({ timeout: 30_000 });
    const coloredMs = await page.evaluate(() => performance.now());
    await page.locator('[data-testid="text-view"][data-mode="virtual"]').waitFor({ timeout: 30_000 });
    open.push({ coloredMs, laidOutMs: await page.evaluate(() => performance.now()) });
  }
  // Jumping by scrolling to parts of the text not loaded yet (a fresh page at the top each time).
  const jump: number[] = [];
  for (const f of [0.9, 0.7, 0.5, 0.3, 0.1]) {
    await ready(`/models/${model}/cells/${unit}`);
    jump.push(
      await page.evaluate(async (f) => {
        const box = document.querySelector<HTMLElement>('[data-testid="text-view"]')!;
        const r = box.getBoundingClientRect();
        const t0 = performance.now();
        box.scrollTop = f * box.scrollHeight;
        for (;;) {
          await new Promise((res) => requestAnimationFrame(res));
          const at = document.elementFromPoint(r.left + 15, r.top + r.height / 2) as HTMLElement | null;
          const el = (at?.classList.contains("vr") ? at.firstElementChild : at) as HTMLElement | null;
          if (el?.dataset.o !== undefined && el.style.background) return performance.now() - t0;
          if (performance.now() - t0 > 30_000) return 30_000;
        }
      }, f),
    );
  }
  return {
    unit,
    heightPx: fling.heightPx,
    idleFrame: ms(idle),
    fling: summary(fling),
    wheel: summary(wheel),
    farOpenColored: ms(open.map((x) => x.coloredMs)),
    farOpenLaidOut: ms(open.map((x) => x.laidOutMs)),
    farJumpColored: ms(jump),
  };
}
