/**
 * The app on a store it can't read: a second `next start` (the build the
 * suite's server made) whose CELLSCOPE_DB is first missing, then garbage.
 * Every page says what happened and which command fixes it; the API answers
 * 503 in its error shape; nothing is created in the store's place.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { MODEL } from "./helpers.ts";

const PORT = 3101;
const base = `http://127.0.0.1:${PORT}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cellscope-e2e-store-"));
const STORE = path.join(dir, "cellscope.db");
let server: ChildProcess;

test.beforeAll(async () => {
  server = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(PORT), "-H", "127.0.0.1"], {
    env: { ...process.env, CELLSCOPE_DB: STORE, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
  });
  for (let i = 0; ; i++) {
    try {
      await fetch(`${base}/api/health`);
      break;
    } catch {
      if (i > 150) throw new Error("next start on port 3101 did not come up in 30 s");
      await new Promise((r) => setTimeout(r, 200));
    }
  }
});

test.afterAll(() => {
  server?.kill("SIGTERM");
  fs.rmSync(dir, { recursive: true, force: true });
});

const pages = ["/", `/models/${MODEL}`, `/models/${MODEL}/cells/c:1:3?at=10`, `/models/${MODEL}/search?signal=is_space`];

test("a missing store, then a corrupt one: every page says so and names the fix; the API answers 503", async ({ page, request }) => {
  for (const url of pages) {
    await page.goto(base + url);
    const problem = page.getByTestId("store-problem");
    await expect(problem, url).toHaveAttribute("data-problem", "missing");
    await expect(problem.getByRole("heading")).toHaveText("The store is missing");
    await expect(problem.getByRole("alert")).toContainText(`The store ${STORE} is missing: run npx cellscope setup`);
    await expect(problem.locator("code")).toHaveText("npx cellscope setup");
  }
  for (const url of ["/api/models", `/api/models/${MODEL}/units/c:1:3/activations?start=0&end=10`, "/api/health"]) {
    const res = await request.get(base + url);
    expect(res.status(), url).toBe(503);
    const body = await res.json();
    expect(body.error, url).toEqual({ code: "store_missing", message: expect.stringContaining("run `npx cellscope setup`") });
  }
  expect(fs.existsSync(STORE)).toBe(false);

  fs.writeFileSync(STORE, Buffer.alloc(32 * 1024, "not a database "));
  await page.goto(base + `/models/${MODEL}/cells/c:1:3`);
  await expect(page.getByTestId("store-problem")).toHaveAttribute("data-problem", "corrupt");
  await expect(page.getByTestId("store-problem").getByRole("alert")).toContainText("is not a readable SQLite database");
  const res = await request.get(`${base}/api/models/${MODEL}`);
  expect(res.status()).toBe(503);
  expect((await res.json()).error.code).toBe("store_corrupt");
});
