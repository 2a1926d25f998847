import { expect, test } from "@playwright/test";
import { cellUrl, MODEL, UNIT } from "./helpers.ts";

const TEXT = '"Well, Prince," she said.\nHe smiled.';

test("your own text: run it, see it colored by the unit, inspect a character, share the link", async ({ page, request }) => {
  await page.goto(cellUrl(UNIT));
  await page.getByTestId("try-link").click();
  await expect(page).toHaveURL(new RegExp(`/models/${MODEL}/try\\?unit=${UNIT.replace(/:/g, "(:|%3A)")}$`));
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  await page.getByTestId("live-input").fill(TEXT);
  await page.getByTestId("live-run").click();
  const text = page.getByTestId("live-text");
  await expect(text.locator("span[data-i]")).toHaveCount(TEXT.length);
  // The colors are the API's numbers.
  const api = await (await request.post(`/api/models/${MODEL}/run`, { data: { text: TEXT, unit: UNIT } })).json();
  expect(api.values).toHaveLength(TEXT.length);
  await expect(text.locator('span[data-i="7"]')).toHaveAttribute("title", new RegExp(`${UNIT} ${api.values[7].toFixed(3)} · next ${api.nats[7].toFixed(2)} nats`));
  await expect(page.getByTestId("live-loss")).toContainText(`mean loss ${api.meanNats.toFixed(3)} nats/char`);
  await expect(page).toHaveURL(/text=%22Well%2C%20Prince/);

  // The inspector at a clicked character: the model's guesses and every unit there.
  await text.locator('span[data-i="2"]').click();
  const inspector = page.getByTestId("live-inspector");
  await expect(inspector).toContainText("Character 2");
  await expect(inspector.getByTestId("guesses").locator("li")).toHaveCount(5);
  await expect(page).toHaveURL(/&at=2/);

  // The link reopens the same view, rendered by the server.
  const url = page.url();
  await page.goto(url);
  await expect(page.getByTestId("live-text").locator("span[data-i]")).toHaveCount(TEXT.length);
  await expect(page.getByTestId("live-inspector")).toContainText("Character 2");
});

test("your own text: characters the model never saw and bad requests are explained", async ({ page, request }) => {
  await page.goto(`/models/${MODEL}/try?unit=${UNIT}&text=${encodeURIComponent("snow ☃ man")}`);
  await expect(page.getByTestId("live-error")).toContainText(`text: character "☃" at 5 is not in the model's vocabulary`);
  const long = await request.post(`/api/models/${MODEL}/run`, { data: { text: "a".repeat(5001), unit: UNIT } });
  expect(long.status()).toBe(400);
  expect((await long.json()).error.message).toMatch(/text must be at most 5,000 characters/);
  const noUnit = await request.post(`/api/models/${MODEL}/run`, { data: { text: "abc", unit: "q:9:9" } });
  expect(noUnit.status()).toBe(400);
  const form = await request.post(`/api/models/${MODEL}/run`, { form: { text: "abc", unit: UNIT } });
  expect(form.status()).toBe(415);
});
