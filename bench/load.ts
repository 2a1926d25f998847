/**
 * The explorer under load: the web server `npm start` runs (lib/cli/web-server.mjs,
 * `--workers` processes) on an existing store (run `npm start` or
 * `cellscope setup` + `next build` first), hit by autocannon with many
 * connections at once for a while, every request a random model, unit or offset:
 *
 *   searchRegex   GET /api/models/M/search?q=REGEX&mode=inside   (a quarter of them one of
 *                 8 common patterns, the rest \bWORD\b for a random word of the text: the
 *                 server caches recent searches, and most of these miss that cache)
 *   searchSignal  GET /api/models/M/search?signal=NAME
 *   cell          GET /models/M/cells/UNIT?at=OFFSET        (the whole page; its inspector is
 *                 fetched by the browser from the inspect route, so it is not in this one)
 *   activations   GET /api/models/M/units/UNIT/activations?start=S&end=S+2000
 *   inspect       GET /api/models/M/inspect?at=OFFSET
 *
 * Each route gets its share of the connections (its own autocannon instance,
 * all running at once), so every route has its own requests/s, latency
 * percentiles, non-2xx, 5xx and timeout counts. The baseline, measured in the
 * same run right after the mix at the same concurrency, is /api/health (two
 * tiny queries).
 * The server's resident memory (the web server and its workers, from
 * /proc/PID/status VmRSS) is sampled every second; `rssGrowth` compares the
 * mean of the last 10 s with that of the first 10 s.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createPrisma } from "../lib/db.ts";
import { findRecording } from "../lib/store/recordings.ts";
import { webServerArgs } from "../lib/cli/serve.ts";
import { PROJECT_ROOT } from "../lib/project-root.ts";

export interface LoadOptions {
  /** Seconds of mixed load (default 60). */
  seconds?: number;
  /**
   * Seconds of the same load before the measured ones (default 10), reported
   * apart: 32 connections opening at once on a fresh server queue their first
   * requests behind each other's cold code paths (all of the multi-second
   * responses seen happened in the first second), a start-up artifact rather
   * than the steady state the goals are about.
   */
  warmup?: number;
  /** Connections in all (default 32). */
  connections?: number;
  model?: string;
  port?: number;
  /** Web server processes (default: as `npm start`, one per core up to 4). */
  workers?: number;
  /** Write the server's V8 CPU profile (.cpuprofile) into this folder, for `--cpu-prof DIR`. */
  cpuProf?: string;
}

const SIGNALS = ["inside_quotes", "chars_since_newline", "is_upper", "line_fraction", "paren_depth", "is_space", "is_punct", "chars_until_newline"];
const REGEXES = ["\\bthe\\b", "[.!?]\\s", '"[^"]*"', "\\n\\n", "[A-Z][a-z]+", "\\b(he|she)\\b", ",", "[aeiou]{2}"];
/** Shares of the connections per route. */
const MIX = { searchRegex: 3, searchSignal: 3, cell: 4, activations: 3, inspect: 3 };

const round = (x: number, d = 1) => +x.toFixed(d);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)];

/** Resident memory (kB) of a process and all its descendants, from /proc. */
function treeRssKb(root: number): number {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      /* exited meanwhile */
    }
  }
  let kb = 0;
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) kb += Number(m[1]);
    } catch {
      /* exited meanwhile */
    }
    todo.push(...(children.get(pid) ?? []));
  }
  return kb;
}

/** One response (or failed request): when its request left, in ms from the start of the run, how long it took, its status (0: an error or a timeout). */
interface Hit {
  atMs: number;
  ms: number;
  status: number;
  timeout?: boolean;
}

/**
 * One autocannon run of `seconds` on `connections` kept-alive connections;
 * `next()` gives each request's path. Every response is kept with the time its
 * request left, so one run can be split into its warm-up and its measured part
 * on the same connections (see `phase`).
 */
function cannon(url: string, connections: number, seconds: number, next: () => string, t0: number, hits: Hit[]): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        timeout: 10,
        requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: next() }) }],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => hits.push({ atMs: performance.now() - t0 - ms, ms, status }));
    instance.on("reqError", (err: Error) => {
      const timeout = /timed out/.test(err.message);
      hits.push({ atMs: performance.now() - t0 - (timeout ? 10_000 : 0), ms: timeout ? 10_000 : 0, status: 0, timeout });
    });
  });
}

/** The q-quantile of sorted numbers (nearest rank). */
const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : NaN);

/** Requests/s, latency percentiles (of the responses, as autocannon's), failures and the 5 slowest responses of the requests that left in [fromMs, toMs). */
function phase(hits: Hit[], fromMs: number, toMs: number) {
  const inside = hits.filter((h) => h.atMs >= fromMs && h.atMs < toMs);
  const answered = inside.filter((h) => h.status > 0);
  const ms = answered.map((h) => h.ms).sort((a, b) => a - b);
  return {
    requests: answered.length,
    requestsPerSec: round(answered.length / ((toMs - fromMs) / 1000)),
    p50Ms: Math.round(quantile(ms, 0.5)),
    p90Ms: Math.round(quantile(ms, 0.9)),
    p99Ms: Math.round(quantile(ms, 0.99)),
    maxMs: Math.round(ms.at(-1) ?? NaN),
    non2xx: answered.filter((h) => h.status < 200 || h.status >= 300).length,
    status5xx: answered.filter((h) => h.status >= 500).length,
    timeouts: inside.filter((h) => h.timeout).length,
    errors: inside.filter((h) => h.status === 0).length,
    /** When (seconds from the start of the phase) and how long (ms): to tell stalls at one moment from steady ones. */
    slowest: [...answered]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5)
      .map((h) => ({ atS: round((h.atMs - fromMs) / 1000), ms: Math.round(h.ms) })),
  };
}

export async function benchLoad(o: LoadOptions = {}) {
  const seconds = o.seconds ?? 60;
  const warmup = o.warmup ?? 10;
  const connections = o.connections ?? 32;
  const port = o.port ?? 3301;
  if (!Number.isInteger(seconds) || seconds < 2) throw new Error("--seconds must be an integer of at least 2");
  if (!Number.isInteger(warmup) || warmup < 0) throw new Error("--warmup must be a whole number of seconds (0 for none)");
  if (!Number.isInteger(connections) || connections < Object.keys(MIX).length) throw new Error(`--connections must be an integer of at least ${Object.keys(MIX).length}`);
  // Every request picks one of the store's recorded models (or --model's) at random.
  const prisma = createPrisma();
  const ids = o.model ? [o.model] : [...new Set((await prisma.recording.findMany({ where: { status: "complete" }, select: { modelId: true } })).map((r) => r.modelId))].sort();
  if (ids.length === 0) throw new Error("no recorded model in the store: run npm start (or cellscope setup) first");
  const models = await Promise.all(
    ids.map(async (id) => {
      const rec = await findRecording(id);
      const meta = await prisma.model.findUniqueOrThrow({ where: { id } });
      const units = rec.kinds.split(",").flatMap((k) => Array.from({ length: meta.layers }, (_, l) => Array.from({ length: meta.hidden }, (_, i) => `${k}:${l}:${i}`)).flat());
      return { m: encodeURIComponent(id), chars: rec.chars, units, words: [...new Set(rec.text.match(/[A-Za-z_]{4,}/g) ?? [])] };
    }),
  );
  await prisma.$disconnect();

  const offset = (chars: number) => Math.floor(Math.random() * chars);
  const regex = (words: string[]) => (Math.random() < 0.25 || words.length === 0 ? pick(REGEXES) : `\\b${pick(words)}\\b`);
  const routes: Record<keyof typeof MIX, () => string> = {
    searchRegex: () => {
      const { m, words } = pick(models);
      return `/api/models/${m}/search?q=${encodeURIComponent(regex(words))}&mode=inside`;
    },
    searchSignal: () => `/api/models/${pick(models).m}/search?signal=${pick(SIGNALS)}`,
    cell: () => {
      const { m, units, chars } = pick(models);
      return `/models/${m}/cells/${pick(units)}?at=${offset(chars)}`;
    },
    activations: () => {
      const { m, units, chars } = pick(models);
      const start = Math.floor(Math.random() * Math.max(1, chars - 2000));
      return `/api/models/${m}/units/${pick(units)}/activations?start=${start}&end=${start + 2000}`;
    },
    inspect: () => {
      const { m, chars } = pick(models);
      return `/api/models/${m}/inspect?at=${offset(chars)}`;
    },
  };
  // Connections per route, in proportion to MIX, summing to `connections`.
  const shares = Object.values(MIX).reduce((a, b) => a + b, 0);
  const conns = Object.fromEntries(Object.entries(MIX).map(([k, w]) => [k, Math.max(1, Math.floor((connections * w) / shares))])) as Record<keyof typeof MIX, number>;
  for (let left = connections - Object.values(conns).reduce((a, b) => a + b, 0), k = 0; left > 0; left--, k++) conns[(Object.keys(MIX) as (keyof typeof MIX)[])[k % 5]]++;

  const root = PROJECT_ROOT;
  const profile = o.cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(o.cpuProf)}`] : [];
  const server = spawn(process.execPath, [...profile, ...webServerArgs({ port, host: "127.0.0.1", workers: o.workers })], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let serverOut = "";
  server.stdout!.setEncoding("utf8").on("data", (d: string) => (serverOut = (serverOut + d).slice(-20_000)));
  let serverLog = "";
  server.stderr!.on("data", (d: Buffer) => (serverLog = (serverLog + d).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        /* not up yet */
      }
      if (server.exitCode !== null) {
        const why = serverLog.split("\n").find((l) => /error/i.test(l)) ?? serverLog.trim().split("\n").at(-1) ?? "";
        throw new Error(`the web server exited (${server.exitCode}): ${why.trim()}`);
      }
      if (i > 300) throw new Error("the web server did not come up in 60 s (is the app built? run next build)");
      await new Promise((r) => setTimeout(r, 200));
    }
    // Each worker loads every model right after it starts (web-server.mjs): measuring meanwhile would
    // time that start, not the steady state. Wait for every worker's "warmed" line.
    const warmStart = performance.now();
    const workers = o.workers ?? Math.min(4, os.availableParallelism());
    while ((serverOut.match(/ warmed \d+ model/g) ?? []).length < workers && process.env.CELLSCOPE_WARM !== "0") {
      if (performance.now() - warmStart > 600_000) throw new Error("the web workers did not warm up in 10 minutes");
      await new Promise((r) => setTimeout(r, 200));
    }
    const serverWarmUpSeconds = round((performance.now() - warmStart) / 1000);
    // Then one request of each route.
    for (const next of Object.values(routes)) {
      const res = await fetch(base + next());
      if (!res.ok) throw new Error(`warm-up: ${res.status} from ${res.url}: ${(await res.text()).slice(0, 200)}`);
    }

    const rssAtStart = treeRssKb(server.pid!) / 1024;
    // One run per route of warm-up + measured seconds on the same kept-alive connections, split by
    // when each request left. Two runs (as before) opened 32 new connections at once at the start of
    // the measured one, on a server still busy with the warm-up's last requests: every route's
    // slowest responses (1.5-2.6 s, inspect's steady p99 being 0.39 s) came in its first 0.1 s,
    // a start-up artifact of the bench, not the steady state the goals are about.
    const rss: number[] = [];
    let sampler: NodeJS.Timeout | undefined;
    const startSampling = () => {
      rss.push(treeRssKb(server.pid!));
      sampler = setInterval(() => rss.push(treeRssKb(server.pid!)), 1000);
    };
    const loadBefore = os.loadavg()[0];
    const t0 = performance.now();
    const hits = Object.fromEntries(Object.keys(routes).map((k) => [k, [] as Hit[]])) as Record<keyof typeof MIX, Hit[]>;
    const sampleFrom = setTimeout(startSampling, warmup * 1000);
    // A tail after the measured seconds lets the requests that left near their end finish (autocannon
    // drops what is in flight when it stops): the tail's own requests are not counted.
    const tailSeconds = 3;
    await Promise.all((Object.keys(routes) as (keyof typeof MIX)[]).map((k) => cannon(base, conns[k], warmup + seconds + tailSeconds, routes[k], t0, hits[k])));
    const wall = (performance.now() - t0) / 1000 - warmup - tailSeconds;
    clearTimeout(sampleFrom);
    clearInterval(sampler);
    rss.splice(seconds + 1); // the samples of the measured seconds, not of the tail
    const fromMs = warmup * 1000, toMs = (warmup + seconds) * 1000;
    let warm: Record<string, unknown> | null = null;
    if (warmup > 0) {
      const w = Object.values(hits).map((h) => phase(h, 0, fromMs));
      warm = {
        seconds: warmup,
        requests: w.reduce((a, r) => a + r.requests, 0),
        status5xx: w.reduce((a, r) => a + r.status5xx, 0),
        timeouts: w.reduce((a, r) => a + r.timeouts, 0),
        worstP99Ms: Math.max(...w.map((r) => r.p99Ms)),
        slowest: w.flatMap((r) => r.slowest).sort((a, b) => b.ms - a.ms).slice(0, 5),
      };
    }
    // The baseline after the mix, on the same warm server. Run first, it left
    // the mix's 32 new connections waiting for seconds in the listen backlog
    // (seen with ss): on a saturated event loop a new connection waits behind
    // the kept-alive ones, a start-up artifact rather than the steady state.
    // Its first second is left out for the same reason.
    const baselineSeconds = Math.min(10, Math.max(2, Math.round(seconds / 6)));
    const baseHits: Hit[] = [];
    const tb = performance.now();
    await cannon(base, connections, baselineSeconds + 1, () => "/api/health", tb, baseHits);
    const { slowest: _, ...baseline } = phase(baseHits, 1000, (baselineSeconds + 1) * 1000);

    const window = Math.max(1, Math.min(10, Math.floor(rss.length / 2)));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const firstMb = mean(rss.slice(0, window)) / 1024;
    const lastMb = mean(rss.slice(-window)) / 1024;
    const perRoute = Object.fromEntries((Object.keys(routes) as (keyof typeof MIX)[]).map((k) => [k, { connections: conns[k], ...phase(hits[k], fromMs, toMs) }]));
    const all = Object.values(perRoute);
    const total = {
      requestsPerSec: round(all.reduce((a, r) => a + r.requestsPerSec, 0)),
      status5xx: all.reduce((a, r) => a + r.status5xx, 0),
      non2xx: all.reduce((a, r) => a + r.non2xx, 0),
      timeouts: all.reduce((a, r) => a + r.timeouts, 0),
      worstP99Ms: Math.max(...all.map((r) => r.p99Ms)),
    };
    const growth = round((lastMb - firstMb) / firstMb, 3);
    // The cell page, the slowest route before its inspector moved to the browser, has a tighter goal of its own.
    const goals = { status5xx: 0, timeouts: 0, p99Ms: 1500, cellP99Ms: 1000, rssGrowth: 0.2 };
    return {
      bench: "load",
      models: Object.fromEntries(models.map((x) => [decodeURIComponent(x.m), { chars: x.chars, units: x.units.length, distinctRegexes: REGEXES.length + x.words.length }])),
      connections,
      workers: o.workers ?? Math.min(4, os.availableParallelism()),
      seconds,
      wallSeconds: round(wall),
      // Other work on the machine takes CPU from the server (and from autocannon, which runs in this process).
      machine: { cpus: os.cpus().length, loadAverage1mBefore: round(loadBefore, 2), loadAverage1mAfter: round(os.loadavg()[0], 2) },
      serverWarmUpSeconds,
      warmup: warm,
      baselineHealth: { connections, seconds: baselineSeconds, ...baseline },
      routes: perRoute,
      total,
      rss: {
        atStartMb: round(rssAtStart),
        samples: rss.length,
        firstMb: round(firstMb),
        lastMb: round(lastMb),
        peakMb: round(Math.max(...rss) / 1024),
        growth,
        windowSeconds: window,
        /** Every 5th sample (MB), to see whether it levels off. */
        everyFiveSecondsMb: rss.filter((_, i) => i % 5 === 0).map((kb) => Math.round(kb / 1024)),
      },
      goals,
      met: {
        status5xx: total.status5xx <= goals.status5xx,
        timeouts: total.timeouts <= goals.timeouts,
        p99Ms: total.worstP99Ms <= goals.p99Ms,
        cellP99Ms: perRoute.cell.p99Ms <= goals.cellP99Ms,
        rssGrowth: growth <= goals.rssGrowth,
      },
    };
  } finally {
    server.kill("SIGTERM");
  }
}
