/**
 * Explorer latency, driven in real Chromium against `next start` on an
 * existing store (run `npm start` or `cellscope setup` + `next build` first).
 * For the cell page and the search page it records the server response time
 * (navigation timing: request start → response start) and the time until the
 * page's main content is visible, over many different units/queries, and the
 * same for /api/health as the same-run baseline of a trivial route.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { chromium } from "@playwright/test";
import { createPrisma } from "../lib/db.ts";
import { findRecording } from "../lib/store/recordings.ts";

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const round = (x: number) => +x.toFixed(1);

export async function benchUi(o: { model?: string; rounds?: number; port?: number }) {
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
      return page.evaluate(() => {
        const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        return { server: n.responseStart - n.requestStart, visible: performance.now() };
      });
    };
    const units = ["c", "h"].flatMap((k) => Array.from({ length: meta.layers }, (_, l) => `${k}:${l}:`));
    const signals = ["inside_quotes", "chars_since_newline", "is_upper", "line_fraction", "paren_depth"];
    const regexes = ["\\bthe\\b", "[.!?]\\s", "\"[^\"]*\"", "\\n\\n", "[A-Z][a-z]+"];
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
      const q = r % 2 ? `signal=${signals[r % signals.length]}` : `q=${encodeURIComponent(regexes[r % regexes.length])}&mode=inside`;
      const s = await measure(`/models/${model}/search?${q}`, "main");
      res.search.server.push(s.server);
      res.search.visible.push(s.visible);
    }
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
      goals: { cellServerP50Ms: 150, searchServerP50Ms: 200 },
    };
  } finally {
    server.kill("SIGTERM");
  }
}
