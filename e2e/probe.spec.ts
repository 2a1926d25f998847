import { expect, test } from "@playwright/test";
import { MODEL } from "./helpers.ts";

test("the search page shows how many cells it takes, fetched after the ranking", async ({ page }) => {
  await page.goto(`/models/${MODEL}/search?q=${encodeURIComponent("[aeiou]")}`);
  await expect(page.getByTestId("search-results").getByRole("listitem").first()).toBeVisible();
  const panel = page.getByTestId("probe-curve");
  await expect(panel.getByRole("heading", { name: "How many cells does it take" })).toBeVisible();
  await expect(panel.getByTestId("probe-k")).toHaveCount(6, { timeout: 30_000 });
  await expect(panel.getByTestId("probe-k").first()).toContainText(/best unit \([a-z]:\d:\d+\)\s*0\.\d{3}/);
  await expect(panel.getByTestId("probe-group")).toHaveCount(4);
  await expect(panel).toContainText("AUC (0.5 is chance)");

  // A signal that is not on/off gets R².
  await page.goto(`/models/${MODEL}/search?signal=chars_since_newline`);
  await expect(page.getByTestId("probe-curve")).toContainText("R² (0 is no better than the mean", { timeout: 30_000 });
});

test("the probe API answers a curve, and bad input in the API's one error shape", async ({ request }) => {
  const ok = await request.get(`/api/models/${MODEL}/probe?signal=chars_since_newline`);
  expect(ok.status()).toBe(200);
  const body = await ok.json();
  expect([body.method, body.metric, body.curve.length]).toEqual(["ridge", "R²", 6]);
  const bad = await request.get(`/api/models/${MODEL}/probe?signal=nope`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatchObject({ code: "bad_query", message: expect.stringContaining("unknown signal") });
});
