import { expect, test } from "@playwright/test";
import { MODEL } from "./helpers.ts";

test("the sample page streams generated text colored by a unit", async ({ page }) => {
  await page.goto(`/models/${MODEL}/sample?unit=h:1:5&length=60&seed=3&prime=${encodeURIComponent("The ")}`);
  await expect(page.getByTestId("sample-status")).toHaveText("60 characters generated", { timeout: 30_000 });
  const spans = page.getByTestId("sample-text").locator("span");
  await expect(spans).toHaveCount(64);
  expect(await page.getByTestId("sample-text").innerText()).toMatch(/^The /);
  const colors = await spans.evaluateAll((els) => els.map((e) => (e as HTMLElement).style.backgroundColor));
  expect(new Set(colors).size).toBeGreaterThan(5);
  // The same seed gives the same text.
  const text = await page.getByTestId("sample-text").innerText();
  await page.reload();
  await expect(page.getByTestId("sample-status")).toHaveText("60 characters generated", { timeout: 30_000 });
  expect(await page.getByTestId("sample-text").innerText()).toBe(text);
});

test("sampling rejects bad units and primes", async ({ page, request }) => {
  const bad = await request.get(`/api/models/${MODEL}/sample?unit=banana`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.code).toBe("bad_unit");
  const prime = await request.get(`/api/models/${MODEL}/sample?unit=h:0:1&prime=${encodeURIComponent("€")}`);
  expect(prime.status()).toBe(400);
  expect((await prime.json()).error.message).toMatch(/not in the model's vocabulary/);
  await page.goto(`/models/${MODEL}/sample?unit=h:0:1&length=99999`);
  await expect(page.getByTestId("sample-form-error")).toContainText("at most 2000");
});

test("the status counts characters in words: 1 character, not 1 characters", async ({ page }) => {
  await page.goto(`/models/${MODEL}/sample?unit=h:1:5&length=1&seed=4&prime=${encodeURIComponent("Th")}`);
  await expect(page.getByTestId("sample-status")).toHaveText("1 character generated", { timeout: 30_000 });
  // The prime is read, not generated: 2 prime characters and 1 generated one.
  await expect(page.getByTestId("sample-text").locator("span")).toHaveCount(3);
});
