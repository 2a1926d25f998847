import { expect, test } from "@playwright/test";
import { cellUrl, MODEL, UNIT, waitForHydration } from "./helpers.ts";

test("the cell page colors the text character by character", async ({ page }) => {
  const res = await page.goto(cellUrl());
  expect(res?.status()).toBe(200);
  await expect(page).toHaveTitle(new RegExp(`^${MODEL} · ${UNIT}`));
  await expect(page.getByTestId("cell-title")).toContainText(UNIT);
  await expect(page.getByTestId("legend")).toBeVisible();
  const chars = page.getByTestId("text-view").locator("span[data-o]");
  expect(await chars.count()).toBeGreaterThanOrEqual(4000);
  const colors = await chars.evaluateAll((els) => els.slice(0, 400).map((e) => (e as HTMLElement).style.backgroundColor));
  expect(colors.every((c) => /^rgb\(/.test(c))).toBe(true);
  expect(new Set(colors).size).toBeGreaterThan(20);
  // Open Graph tags name the model and unit.
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute("content", new RegExp(`${MODEL} · ${UNIT}`));
  // The sidebar: statistics, histogram, where it fires, scores against the signals.
  await expect(page.getByTestId("unit-stats")).toContainText("mean");
  await expect(page.getByTestId("histogram")).toBeVisible();
  await expect(page.getByTestId("top-snippets").getByRole("link")).not.toHaveCount(0);
  await expect(page.getByTestId("signal-scores")).toContainText("is_space");
});

test("hovering a character shows it, its offset and the unit's value", async ({ page }) => {
  await page.goto(cellUrl());
  await waitForHydration(page);
  await page.locator('[data-testid="text-view"] span[data-o="3"]').hover();
  const tip = page.getByTestId("char-tooltip");
  await expect(tip).toBeVisible();
  await expect(tip).toContainText("offset 3");
  await expect(tip).toContainText(new RegExp(`${UNIT} value [+−]\\d\\.\\d{3}`));
});

test("j and k move to the next and previous unit; / focuses the search box", async ({ page }) => {
  await page.goto(cellUrl("h:1:5", "?scale=cb"));
  await waitForHydration(page);
  await page.keyboard.press("j");
  await expect(page).toHaveURL(new RegExp(`/cells/h(:|%3A)1(:|%3A)6\\?scale=cb$`));
  await expect(page.getByTestId("cell-title")).toContainText("h:1:6");
  await waitForHydration(page);
  await page.keyboard.press("k");
  await page.keyboard.press("k");
  await expect(page).toHaveURL(new RegExp(`/cells/h(:|%3A)1(:|%3A)4\\?scale=cb$`));
  await page.keyboard.press("/");
  await expect(page.locator("#cell-search")).toBeFocused();
  // Typing in the box doesn't trigger the shortcuts.
  await page.keyboard.type("jk");
  await expect(page).toHaveURL(/h(:|%3A)1(:|%3A)4/);
});

test("clicking a character selects it; the permalink reopens the same view with the inspector", async ({ page, context }) => {
  await page.goto(cellUrl(UNIT, "?scale=cb"));
  await waitForHydration(page);
  await page.locator('[data-testid="text-view"] span[data-o="120"]').click();
  await expect(page).toHaveURL(/at=120/);
  await expect(page).toHaveURL(/scale=cb/);
  const inspector = page.getByTestId("inspector");
  await expect(inspector).toContainText("offset 120");
  await expect(page.getByTestId("guesses").getByRole("listitem")).toHaveCount(5);
  await expect(page.getByTestId("loss")).toContainText(/\d\.\d\d bits/);
  const guesses = await page.getByTestId("guesses").innerText();
  const selectedColor = await page.locator('[data-testid="text-view"] span[data-o="120"]').evaluate((e) => (e as HTMLElement).style.backgroundColor);

  // Reopen the URL in a fresh page: same selection, scale, inspector.
  const again = await context.newPage();
  await again.goto(page.url());
  const sel = again.locator('[data-testid="text-view"] span[aria-current="true"]');
  await expect(sel).toHaveAttribute("data-o", "120");
  expect(await sel.evaluate((e) => (e as HTMLElement).style.backgroundColor)).toBe(selectedColor);
  await expect(again.getByTestId("inspector")).toContainText("offset 120");
  expect(await again.getByTestId("guesses").innerText()).toBe(guesses);
  await expect(again.getByRole("link", { name: "orange–purple" })).toHaveAttribute("aria-current", "true");
});

test("the inspector's heat strip names units on hover and opens them on click", async ({ page }) => {
  await page.goto(cellUrl(UNIT, "?at=500"));
  await expect(page.getByTestId("inspector")).toContainText("offset 500");
  const strips = page.getByTestId("heat-strips");
  await expect(strips.locator("a[data-unit]")).toHaveCount(256);
  await waitForHydration(page);
  const target = strips.locator('a[data-unit="h:0:9"]');
  await target.hover();
  await expect(page.getByTestId("strip-readout")).toContainText("h:0:9");
  await target.click();
  await expect(page).toHaveURL(/\/cells\/h(:|%3A)0(:|%3A)9\?at=500$/);
});

test("?color=surprise colors by the model's loss; jump to offset; past-the-end offsets are explained", async ({ page }) => {
  await page.goto(cellUrl(UNIT));
  const unitColors = await page.locator('[data-testid="text-view"] span[data-o]').evaluateAll((els) => els.slice(0, 200).map((e) => (e as HTMLElement).style.backgroundColor));
  await page.getByRole("link", { name: "by surprise" }).click();
  await expect(page).toHaveURL(/color=surprise/);
  await expect(page.getByTestId("legend")).toContainText("surprise");
  const surprise = await page.locator('[data-testid="text-view"] span[data-o]').evaluateAll((els) => els.slice(0, 200).map((e) => (e as HTMLElement).style.backgroundColor));
  expect(surprise).not.toEqual(unitColors);

  await page.getByLabel("Jump to offset").fill("150000");
  await page.getByRole("button", { name: "Go" }).click();
  await expect(page).toHaveURL(/at=150000/);
  await expect(page).toHaveURL(/color=surprise/);
  await expect(page.locator('[data-testid="text-view"] span[aria-current="true"]')).toHaveAttribute("data-o", "150000");

  await page.goto(cellUrl(UNIT, "?at=99999999"));
  await expect(page.getByTestId("view-problem")).toContainText("past the end");
  await page.goto(cellUrl(UNIT, "?at=abc"));
  await expect(page.getByTestId("view-problem")).toContainText("whole number");
});

test("scrolling the text loads more of it", async ({ page }) => {
  await page.goto(cellUrl());
  await waitForHydration(page);
  const view = page.getByTestId("text-view");
  const chars = view.locator("span[data-o]");
  const before = await chars.count();
  await view.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect.poll(() => chars.count(), { timeout: 15_000 }).toBeGreaterThan(before);
  const last = Number(await chars.last().getAttribute("data-o"));
  expect(last).toBeGreaterThan(before);
});

test("unknown units and models are 404 pages; encoded colons work", async ({ page }) => {
  expect((await page.goto(`/models/${MODEL}/cells/c:9:0`))?.status()).toBe(404);
  expect((await page.goto(`/models/${MODEL}/cells/banana`))?.status()).toBe(404);
  expect((await page.goto(`/models/nope/cells/c:0:0`))?.status()).toBe(404);
  expect((await page.goto(`/models/${MODEL}/cells/${encodeURIComponent(UNIT)}`))?.status()).toBe(200);
  await expect(page.getByTestId("cell-title")).toContainText(UNIT);
});

test("compare view stacks two or three units on the same text", async ({ page }) => {
  await page.goto(cellUrl("h:1:5"));
  await page.getByRole("link", { name: "Compare with neighbours" }).click();
  await expect(page).toHaveURL(/compare\?units=h(:|%3A)1(:|%3A)4(,|%2C)h(:|%3A)1(:|%3A)5(,|%2C)h(:|%3A)1(:|%3A)6/);
  const rows = page.getByTestId("compare-rows");
  await expect(rows).toBeVisible();
  // Three colored rows per line of text.
  const first = rows.locator(":scope > div").first();
  await expect(first.locator(":scope > div")).toHaveCount(3);
  await page.goto(`/models/${MODEL}/compare?units=h:1:1,h:1:2,h:1:3,h:1:4`);
  await expect(page.getByTestId("compare-error")).toContainText("at most 3");
});

test("a label can be added, shown in the title, and removed", async ({ page }) => {
  await page.goto(cellUrl("h:0:11"));
  await waitForHydration(page);
  await page.getByTestId("edit-label").click();
  await page.getByRole("textbox", { name: "Label" }).fill("space detector");
  await page.getByRole("textbox", { name: "Note" }).fill("fires on spaces");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("unit-label")).toContainText("space detector");
  await page.reload();
  await expect(page).toHaveTitle(`${MODEL} · h:0:11 · space detector`);
  await expect(page.getByTestId("cell-title")).toContainText("space detector");
  await waitForHydration(page);
  await page.getByTestId("edit-label").click();
  await page.getByRole("button", { name: "Remove" }).click();
  await expect(page.getByTestId("unit-label")).toHaveCount(0);
});
