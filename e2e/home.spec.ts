import { expect, test } from "@playwright/test";

test("home page shows the title and reads the database", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle("Cellscope");
  await expect(
    page.getByRole("heading", { level: 1, name: /a microscope for the cells of recurrent networks/i }),
  ).toBeVisible();
  // Rendered on the server from the (fresh, migrated) e2e database.
  await expect(page.getByTestId("store-summary")).toHaveText("0 corpora · 0 models");
});

test("health endpoint answers", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.ok()).toBe(true);
  expect(await res.json()).toEqual({ ok: true, corpora: 0, models: 0 });
});
