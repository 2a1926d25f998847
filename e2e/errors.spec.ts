import { expect, test } from "@playwright/test";
import { MODEL } from "./helpers.ts";

test("the model page breaks its loss down by the characters it gets wrong, with links to the worst", async ({ page, request }) => {
  const api = await (await request.get(`/api/models/${MODEL}/errors`)).json();
  await page.goto(`/models/${MODEL}`);
  const panel = page.getByTestId("errors");
  await expect(panel.getByRole("heading", { name: "Where it goes wrong" })).toBeVisible();
  await expect(panel.getByTestId("error-total")).toHaveText(api.nats.toFixed(3), { timeout: 60_000 });
  // One row for the characters it got right, one per category, with the API's numbers.
  await expect(panel.getByTestId("error-row")).toHaveCount(1 + api.categories.length);
  const ngram = api.categories.find((c: { key: string }) => c.key === "ngram");
  await expect(panel.getByTestId("error-row").nth(1)).toContainText(ngram.nats.toFixed(3));
  await expect(panel.getByTestId("error-ngram")).toContainText(`the best n (${api.ngram.bestN}) scores ${api.ngram.bestNats.toFixed(3)}`);
  await expect(panel.getByTestId("error-ngram")).toContainText("its best LSTM 1.077, its 20-gram 1.195");
  // The worst n-gram error opens the text there.
  await panel.getByTestId("error-row").nth(1).getByRole("link", { name: "worst" }).click();
  await expect(page).toHaveURL(new RegExp(`\\?at=${ngram.worst[0]}$`));
});

test("the corpus page puts its models' breakdowns on one scale, and the API refuses an unknown model", async ({ page, request }) => {
  await page.goto(`/corpora/warpeace`);
  await expect(page.getByTestId("error-model").first()).toContainText(MODEL);
  await expect(page.getByTestId("error-total").first()).toBeVisible({ timeout: 60_000 });
  const bad = await request.get(`/api/models/nope-model/errors`);
  expect(bad.status()).toBe(404);
  expect((await bad.json()).error.code).toBe("not_found");
});
