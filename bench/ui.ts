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
 *
 * Selection (see clickChars below): clicks on characters of a cell page, the
 * time to the highlighted character, to the inspector showing its offset and
 * to the inspector filled in, and the requests each click sends; the same for
 * five arrow-key presses in a row; the home page's requests on load and after
 * scrolling (Next's link prefetches among them).
 *
 * First requests (see firstRequests below): a fresh web server
 * (lib/cli/web-server.mjs, one worker) per model without its warm-up
 * (CELLSCOPE_WARM=0), timing the model's first cell page and first search; then
 * one fresh server with it, timing the warm-up and the same requests after it.
 */
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { createPrisma } from "../lib/db.ts";
import { findRecording } from "../lib/store/recordings.ts";
import { isGateKind } from "../lib/model/unit-kinds.ts";
import { SIGNAL_NAMES } from "../lib/search/signals.ts";
import { webServerArgs } from "../lib/cli/serve.ts";
import { PROJECT_ROOT } from "../lib/project-root.ts";

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const round = (x: number) => +x.toFixed(1);

export async function benchUi(o: { model?: string; rounds?: number; port?: number; scroll?: boolean; fresh?: boolean }) {
  const rounds = o.rounds ?? 20;
  const port = o.port ?? 3300;
  const prisma = createPrisma();
  const model = o.model ?? (await prisma.recording.findFirst({ where: { status: "complete" }, orderBy: { chars: "desc" } }))?.modelId;
  if (!model) throw new Error("no recorded model in the store: run npm start (or cellscope setup) first");
  const rec = await findRecording(model);
  const meta = await prisma.model.findUniqueOrThrow({ where: { id: model } });
  const recorded = await prisma.recording.findMany({ where: { status: "complete" }, select: { modelId: true }, orderBy: { modelId: "asc" } });
  const freshModels = await Promise.all(
    [...new Set(recorded.map((r) => r.modelId))].map(async (id) => {
      const r = await findRecording(id);
      const m = await prisma.model.findUniqueOrThrow({ where: { id } });
      return { id, chars: r.chars, unit: `h:${m.layers - 1}:${Math.min(7, m.hidden - 1)}`, words: [...new Set(r.text.match(/[A-Za-z_]{5,}/g) ?? ["the"])] };
    }),
  );
  await prisma.$disconnect();
  const loadBefore = os.loadavg()[0];

  const root = PROJECT_ROOT;
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
    // The kinds the shown recording has (an LSTM's c and h; a GRU's or vanilla RNN's h), gates left out as set-up leaves them.
    const units = rec.kinds.split(",").filter((k) => !isGateKind(k)).flatMap((k) => Array.from({ length: meta.layers }, (_, l) => `${k}:${l}:`));
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
    const selection = await clickChars(browser, base, model, rounds);
    await browser.close();
    server.kill("SIGTERM");
    const first = o.fresh === false ? undefined : await firstRequests(port + 1, freshModels);
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
      selection,
      ...(first ? { firstRequests: first } : {}),
      // Other work on the machine (a training run) slows everything here.
      machine: { cpus: os.cpus().length, loadAverage1mBefore: round(loadBefore), loadAverage1mAfter: round(os.loadavg()[0]) },
      // Scrolling: a wheel-speed pass without long tasks, its frames as steady as idle ones (p95 within
      // twice the idle p95), and the middle of the screen drawn at every step of the fling.
      // Selection: the inspector filled in within 150 ms of a click (p50), at most 2 requests per click.
      goals: { cellServerP50Ms: 150, searchServerP50Ms: 200, wheelLongTasks: 0, wheelFrameP95VsIdle: 2, flingMiddleNotDrawn: 0, clickToInspectorP50Ms: 150, requestsPerClick: 2 },
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

/** Resolves once no request of the page has been in flight for `ms` (or after 30 s). */
function quietWatcher(page: Page) {
  let inflight = 0, last = Date.now();
  const urls: string[] = [];
  page.on("request", (r) => {
    inflight++;
    last = Date.now();
    urls.push(r.url());
  });
  const done = () => {
    inflight = Math.max(0, inflight - 1);
    last = Date.now();
  };
  page.on("requestfinished", done);
  page.on("requestfailed", done);
  return {
    urls,
    async quiet(ms = 300) {
      const t0 = Date.now();
      while ((inflight > 0 || Date.now() - last < ms) && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 25));
    },
  };
}

/** Next's prefetches and client navigations ask for RSC payloads (`?_rsc=`). */
const isRsc = (u: string) => u.includes("_rsc=");

/**
 * Clicks on `rounds` different characters on screen of a cell page (laid out,
 * settled): in the page, from the click to the character highlighted
 * (`selectedMs`), to the inspector's title showing its offset (`shownMs`) and
 * to the inspector filled in for it (`filledMs`, the goal's clicks-to-inspector),
 * seen by a MutationObserver; every request between a click and the page
 * settling counts for that click. Then five arrow-key presses in a row, five
 * times. Then the home page's requests, on load and after scrolling to its end.
 */
async function clickChars(browser: import("@playwright/test").Browser, base: string, model: string, rounds: number) {
  const page = await browser.newPage();
  await page.addInitScript("self.__name = (f) => f");
  const watch = quietWatcher(page);
  await page.goto(`${base}/models/${model}/cells/h:0:3`);
  await page.locator('[data-testid="text-view"][data-mode="virtual"]').waitFor({ timeout: 30_000 });
  await watch.quiet(500);
  const clicks: { selectedMs: number; shownMs: number; filledMs: number; requests: number; rsc: number; paths: string[] }[] = [];
  for (let k = 0; k < rounds; k++) {
    const before = watch.urls.length;
    const t = await page.evaluate(
      (k) =>
        new Promise<{ selectedMs: number; shownMs: number; filledMs: number }>((resolve, reject) => {
          const box = document.querySelector<HTMLElement>('[data-testid="text-view"]')!;
          const r = box.getBoundingClientRect();
          const spans = [...box.querySelectorAll<HTMLElement>("span[data-o]")].filter((s) => {
            const b = s.getBoundingClientRect();
            return b.width > 0 && b.top >= r.top && b.bottom <= r.bottom && s.getAttribute("aria-current") !== "true";
          });
          const el = spans[(k * 7919 + 13) % spans.length];
          const o = el.dataset.o!;
          const label = `offset ${Number(o).toLocaleString("en-US")}`;
          const out = { selectedMs: 0, shownMs: 0, filledMs: 0 };
          const check = () => {
            const now = performance.now() - t0;
            const ins = document.querySelector<HTMLElement>('[data-testid="inspector"]');
            const title = ins?.querySelector("h2")?.textContent?.replace(/\s+/g, " ") ?? "";
            if (!out.selectedMs && box.querySelector(`span[data-o="${o}"][aria-current="true"]`)) out.selectedMs = now;
            if (!out.shownMs && title.includes(label)) out.shownMs = now;
            if (!out.filledMs && title.includes(label) && ins && !ins.hasAttribute("data-pending") && ins.querySelector('[data-testid="guesses"] li')) out.filledMs = now;
            if (out.selectedMs && out.shownMs && out.filledMs) {
              mo.disconnect();
              clearTimeout(timer);
              resolve(out);
            }
          };
          const mo = new MutationObserver(check);
          mo.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
          const timer = setTimeout(() => {
            mo.disconnect();
            reject(new Error(`no inspector for ${label} after 30 s`));
          }, 30_000);
          const t0 = performance.now();
          el.click();
          check();
        }),
      k,
    );
    await watch.quiet(300);
    const urls = watch.urls.slice(before);
    clicks.push({ ...t, requests: urls.length, rsc: urls.filter(isRsc).length, paths: urls.map((u) => new URL(u).pathname) });
  }

  // Arrow keys: five presses in a row from the last click, as fast as the keyboard sends them.
  const keys: { requests: number; filledMs: number }[] = [];
  await page.getByTestId("text-view").focus();
  for (let k = 0; k < 5; k++) {
    const before = watch.urls.length;
    const at = Number(new URL(page.url()).searchParams.get("at"));
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
    const label = `offset ${(at + 5).toLocaleString("en-US")}`;
    await page.locator('[data-testid="inspector"]:not([data-pending])', { hasText: label }).locator('[data-testid="guesses"] li').first().waitFor({ timeout: 30_000 });
    const filledMs = Date.now() - t0;
    await watch.quiet(300);
    keys.push({ requests: watch.urls.length - before, filledMs });
  }

  // The home page: everything it asks for on load, then scrolled to its end a screen at a time.
  const before = watch.urls.length;
  await page.goto(`${base}/`);
  await watch.quiet(1000);
  const load = watch.urls.slice(before);
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight) {
      scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  await watch.quiet(1000);
  const scrolled = watch.urls.slice(before);
  await page.close();

  const ms = (xs: number[]) => ({ p50Ms: round(pct(xs, 0.5)), p95Ms: round(pct(xs, 0.95)), maxMs: round(Math.max(...xs)) });
  const mean = (xs: number[]) => round(xs.reduce((a, b) => a + b, 0) / xs.length);
  return {
    clicks: clicks.length,
    clickToSelected: ms(clicks.map((c) => c.selectedMs)),
    clickToInspectorShown: ms(clicks.map((c) => c.shownMs)),
    clickToInspector: ms(clicks.map((c) => c.filledMs)),
    requestsPerClick: { mean: mean(clicks.map((c) => c.requests)), max: Math.max(...clicks.map((c) => c.requests)), rscMean: mean(clicks.map((c) => c.rsc)), lastClick: clicks.at(-1)?.paths },
    fiveArrowKeys: { rounds: keys.length, requestsMean: mean(keys.map((k) => k.requests)), requestsMax: Math.max(...keys.map((k) => k.requests)), toInspector: ms(keys.map((k) => k.filledMs)) },
    homeRequests: { onLoad: load.length, onLoadRsc: load.filter(isRsc).length, afterScroll: scrolled.length, afterScrollRsc: scrolled.filter(isRsc).length },
  };
}

/**
 * The first visitor of each model on a fresh web server (one worker, as each
 * of `npm start`'s workers starts): without the warm-up, a new server per
 * model, timing its first cell page (`cellMs`, the whole HTML) and then its
 * first search page (`searchMs`, a regex no one asked before); with the
 * warm-up, one new server, waiting for its "warmed" line (`warmUpMs` from the
 * health check answering), then the same requests for each model. `healthMs`:
 * from the spawn to /api/health answering (the warm-up must not delay it).
 */
async function firstRequests(port: number, models: { id: string; chars: number; unit: string; words: string[] }[]) {
  const root = PROJECT_ROOT;
  const base = `http://127.0.0.1:${port}`;
  const timed = async (url: string) => {
    const t0 = performance.now();
    const res = await fetch(base + url);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${res.status} from ${url}`);
    return round(performance.now() - t0);
  };
  const start = async (warm: boolean) => {
    const t0 = performance.now();
    const server = spawn(process.execPath, webServerArgs({ port, host: "127.0.0.1", workers: 1 }), {
      cwd: root,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CELLSCOPE_WARM: warm ? "1" : "0" },
      stdio: ["ignore", "pipe", "ignore"],
    });
    let out = "";
    server.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        /* not up yet */
      }
      if (server.exitCode !== null || i > 600) throw new Error("the web server did not come up (is the app built?)");
      await new Promise((r) => setTimeout(r, 50));
    }
    const healthMs = round(performance.now() - t0);
    let warmUpMs: number | undefined;
    if (warm) {
      const t1 = performance.now();
      while (!/ warmed \d+ model/.test(out)) {
        if (performance.now() - t1 > 300_000) throw new Error("no warm-up line in 5 minutes");
        await new Promise((r) => setTimeout(r, 50));
      }
      warmUpMs = round(performance.now() - t1);
    }
    const stop = () =>
      new Promise<void>((resolve) => {
        server.once("exit", () => resolve());
        server.kill("SIGTERM");
      });
    return { healthMs, warmUpMs, stop };
  };
  const visit = async (m: (typeof models)[number], r: number) => {
    const cellMs = await timed(`/models/${encodeURIComponent(m.id)}/cells/${m.unit}?at=${(r * 7919) % m.chars}`);
    const searchMs = await timed(`/models/${encodeURIComponent(m.id)}/search?q=${encodeURIComponent(`\\b${m.words[(r * 104729) % m.words.length]}\\b`)}`);
    const againCellMs = await timed(`/models/${encodeURIComponent(m.id)}/cells/${m.unit}?at=${(r * 7919 + 5000) % m.chars}`);
    return { cellMs, searchMs, againCellMs };
  };
  const without: Record<string, unknown> = {};
  for (const [i, m] of models.entries()) {
    const s = await start(false);
    without[m.id] = { healthMs: s.healthMs, ...(await visit(m, i + 1)) };
    await s.stop();
  }
  const s = await start(true);
  const withWarm: Record<string, unknown> = {};
  for (const [i, m] of models.entries()) withWarm[m.id] = await visit(m, i + 11);
  await s.stop();
  return { withoutWarmUp: without, withWarmUp: { healthMs: s.healthMs, warmUpMs: s.warmUpMs, models: withWarm } };
}
