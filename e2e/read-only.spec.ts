/**
 * Read-only mode (CELLSCOPE_READ_ONLY=1, for a public deployment): a second
 * web server (lib/cli/web-server.mjs, as README's "Deploying read-only" runs
 * it, on the build the suite's server made) on the suite's store with the
 * variable set. Every view still reads; no page offers a write; every
 * write through the API is refused in the one error shape; nothing changes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect, test, type APIResponse } from "@playwright/test";
import { MODEL, UNIT } from "./helpers.ts";

const PORT = 3102;
const base = `http://127.0.0.1:${PORT}`;
let server: ChildProcess;

test.beforeAll(async () => {
  server = spawn(process.execPath, [path.resolve("lib/cli/web-server.mjs"), "--port", String(PORT), "--host", "127.0.0.1"], {
    env: { ...process.env, CELLSCOPE_DB: "data/e2e.db", CELLSCOPE_READ_ONLY: "1", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (i > 150) throw new Error(`the web server on port ${PORT} did not come up in 30 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
});

test.afterAll(() => {
  server?.kill("SIGTERM");
});

async function expectForbidden(res: APIResponse) {
  expect(res.status()).toBe(403);
  const body = await res.json();
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toBe("forbidden");
  expect(body.error.message).toContain("read-only");
}

test("read-only: the views read as usual but offer no writes, and the API refuses every write", async ({ page, request }) => {
  await page.goto(`${base}/models/${MODEL}/cells/${UNIT}?at=100`);
  await expect(page.getByTestId("cell-title")).toContainText(UNIT);
  await expect(page.getByTestId("inspector")).toContainText("offset 100");
  await expect(page.getByTestId("copy-link")).toBeVisible();
  await expect(page.getByTestId("edit-label")).toHaveCount(0);
  await expect(page.getByTestId("add-to-collection")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /New collection/ })).toHaveCount(0);

  await page.goto(`${base}/collections`);
  await expect(page.getByRole("heading", { level: 1, name: "Collections" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create" })).toHaveCount(0);

  const before = (await (await request.get(`${base}/api/models/${MODEL}/units/${UNIT}`)).json()).unit.label;
  await expectForbidden(await request.put(`${base}/api/models/${MODEL}/units/${UNIT}/label`, { data: { label: "should not stick" } }));
  await expectForbidden(await request.delete(`${base}/api/models/${MODEL}/units/${UNIT}/label`));
  await expectForbidden(await request.post(`${base}/api/collections`, { data: { title: "should not exist", items: [] } }));
  expect((await (await request.get(`${base}/api/models/${MODEL}/units/${UNIT}`)).json()).unit.label).toEqual(before);
  const list = await (await request.get(`${base}/api/collections`)).json();
  expect(JSON.stringify(list)).not.toContain("should not exist");
});
