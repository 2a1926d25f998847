/**
 * The web server `npm start` runs (lib/cli/web-server.mjs): the built app in
 * several worker processes on one port. Started here on its own port over
 * the suite's store, read-only: each worker warms up (loads the recorded
 * models) right after it starts, without holding up health checks; a worker
 * killed with SIGKILL is replaced (and warms up too) and requests keep being
 * answered meanwhile; SIGTERM stops every process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import { expect, test } from "@playwright/test";
import { MODEL, UNIT } from "./helpers.ts";

// Beside the suite's own port and store (CELLSCOPE_E2E_PORT / CELLSCOPE_E2E_DB), so that two checkouts can run it at once.
const PORT = Number(process.env.CELLSCOPE_E2E_PORT ?? 3100) + 3;
const DB = process.env.CELLSCOPE_E2E_DB ?? "data/e2e.db";
const base = `http://127.0.0.1:${PORT}`;
let server: ChildProcess;
/** The server's output so far, and when each line came (ms since the start). */
const lines: { at: number; text: string }[] = [];
let started = 0;
/** When /api/health first answered 200 (ms since the start). */
let healthyAt = 0;
const warmedLines = () => lines.filter((l) => / warmed \d+ model/.test(l.text));

/** The pids of a process's children, from /proc. */
function childrenOf(pid: number): number[] {
  return fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/**
 * GET on a new connection each time (fetch would reuse a kept-alive one, and
 * a connection the killed worker held dies with it: that is expected).
 */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`) && !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));

test.beforeAll(async () => {
  server = spawn(process.execPath, ["lib/cli/web-server.mjs", "--port", String(PORT), "--host", "127.0.0.1", "--workers", "2"], {
    env: { ...process.env, CELLSCOPE_DB: DB, CELLSCOPE_READ_ONLY: "1", NEXT_TELEMETRY_DISABLED: "1", CELLSCOPE_WARM: "1" },
    stdio: ["ignore", "pipe", "ignore"],
  });
  started = Date.now();
  let buf = "";
  server.stdout!.setEncoding("utf8").on("data", (d: string) => {
    buf += d;
    const parts = buf.split("\n");
    buf = parts.pop()!;
    for (const text of parts) lines.push({ at: Date.now() - started, text });
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok && childrenOf(server.pid!).length === 2) {
        healthyAt = Date.now() - started;
        break;
      }
    } catch {
      // not up yet
    }
    if (i > 150) throw new Error(`the web server on port ${PORT} did not come up in 30 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
});

test.afterAll(() => {
  if (server.exitCode === null) server.kill("SIGKILL");
});

test("every worker loads the recorded models right after it starts, while health checks are already answered", async () => {
  await expect.poll(() => warmedLines().length, { timeout: 60_000 }).toBe(2);
  for (const l of warmedLines()) expect(l.text).toContain(MODEL);
  // Health answered before the warm-up ended (it runs beside the server, not before it listens).
  expect(healthyAt).toBeGreaterThan(0);
  expect(healthyAt).toBeLessThan(Math.max(...warmedLines().map((l) => l.at)));
  expect(lines.some((l) => l.text.includes("could not warm"))).toBe(false);
});

test("a second server on a taken port says so and exits 1 instead of restarting workers in a loop", async () => {
  const second = spawn(process.execPath, ["lib/cli/web-server.mjs", "--port", String(PORT), "--host", "127.0.0.1", "--workers", "2"], {
    env: { ...process.env, CELLSCOPE_DB: DB, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  second.stderr!.on("data", (d: Buffer) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => second.once("exit", (c) => resolve(c)));
  expect(code).toBe(1);
  expect(stderr).toContain(`could not listen on 127.0.0.1:${PORT}`);
  expect(stderr).toContain("failed to start");
  expect(stderr).not.toContain("starting another");
  // The first server is untouched.
  expect((await fetch(`${base}/api/health`)).status).toBe(200);
});

test("a web worker that dies is replaced, requests keep being answered, and SIGTERM stops them all", async () => {
  const workers = childrenOf(server.pid!);
  expect(workers).toHaveLength(2);
  process.kill(workers[0], "SIGKILL");
  // Once the primary has reaped it (until then it may still hand it a new connection, which is reset),
  // the other worker answers every request while a replacement starts.
  await expect.poll(() => fs.existsSync(`/proc/${workers[0]}`), { timeout: 10_000 }).toBe(false);
  for (let i = 0; i < 10; i++) {
    const res = await get(`${base}/models/${MODEL}/cells/${UNIT}?at=${i * 7}`);
    expect(res.status).toBe(200);
    expect(res.body).toContain(UNIT);
  }
  await expect.poll(() => childrenOf(server.pid!).filter((p) => p !== workers[0] && alive(p)).length, { timeout: 30_000 }).toBe(2);
  // The replacement warms up too.
  await expect.poll(() => warmedLines().length, { timeout: 60_000 }).toBe(3);
  const now = childrenOf(server.pid!).filter(alive);
  expect(now).toContain(workers[1]);
  expect(now).not.toContain(workers[0]);
  // The new worker serves too (the primary spreads connections over both).
  const statuses = await Promise.all(Array.from({ length: 8 }, (_, i) => get(`${base}/api/models/${MODEL}/inspect?at=${i}`).then((r) => r.status)));
  expect(statuses).toEqual(Array(8).fill(200));

  const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
  server.kill("SIGTERM");
  expect(await exited).toBe(0);
  for (const pid of now) await expect.poll(() => alive(pid), { timeout: 10_000 }).toBe(false);
});
