/**
 * Sharing: every view keeps its whole state in the URL. Each test changes a
 * view's state through the page (links, keys, forms, clicks), copies the link
 * with the "Copy link" button, opens it in a fresh browser context (nothing
 * carried over but the link) and checks that the same view comes back.
 * Then the titles and Open Graph tags a shared link previews with.
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { cellUrl, MODEL, UNIT } from "./helpers.ts";

const hydrated = (page: Page) => page.locator("html[data-hydrated]").waitFor({ state: "attached" });

/** Clicks "Copy link" and returns what landed on the clipboard (checked to be the page's URL). */
async function copyLink(page: Page): Promise<string> {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await hydrated(page);
  const button = page.getByTestId("copy-link");
  await button.click();
  await expect(button).toHaveText("Link copied");
  const url = await page.evaluate(() => navigator.clipboard.readText());
  expect(url).toBe(page.url());
  return url;
}

/** Opens a link in a new browser context. */
async function openFresh(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const res = await page.goto(url);
  expect(res?.status()).toBe(200);
  return page;
}

const backgrounds = (page: Page, selector: string, n = 64) =>
  page.locator(selector).evaluateAll((els, n) => els.slice(0, n).map((e) => (e as HTMLElement).style.backgroundColor), n);

test("model page: the map's statistic and color scale come back from a copied link", async ({ page, browser }) => {
  await page.goto(`/models/${MODEL}`);
  const map = '[data-testid="unit-map-h-1"] a';
  const before = await backgrounds(page, map);
  await page.getByRole("link", { name: "signal", exact: true }).click();
  await expect(page).toHaveURL(/stat=signal/);
  await page.getByRole("group", { name: "Color units by" }).getByRole("link", { name: "orange–purple" }).click();
  await expect(page).toHaveURL(/scale=cb/);
  await expect(page).toHaveURL(/stat=signal/);
  const after = await backgrounds(page, map);
  expect(after).not.toEqual(before);

  const again = await openFresh(browser, await copyLink(page));
  await expect(again.getByRole("link", { name: "signal", exact: true })).toHaveAttribute("aria-current", "true");
  await expect(again.getByTestId("map-legend")).toContainText("strongest |r|");
  expect(await backgrounds(again, map)).toEqual(after);
  await again.context().close();
});

test("cell page: the unit (after j), scale, surprise mode and offset come back from a copied link", async ({ page, browser }) => {
  await page.goto(cellUrl("h:1:5"));
  await hydrated(page);
  await page.keyboard.press("j");
  await expect(page.getByTestId("cell-title")).toContainText("h:1:6");
  await hydrated(page);
  await page.getByRole("link", { name: "orange–purple" }).click();
  await expect(page).toHaveURL(/scale=cb/);
  await page.getByRole("link", { name: "by surprise" }).click();
  await expect(page).toHaveURL(/color=surprise/);
  await page.getByLabel("Jump to offset").fill("1234");
  await page.getByRole("button", { name: "Go" }).click();
  await expect(page).toHaveURL(/at=1234/);
  await expect(page.getByTestId("inspector")).toContainText("offset 1,234");
  const guesses = await page.getByTestId("guesses").innerText();

  const url = await copyLink(page);
  expect(url).toMatch(/\/cells\/h(:|%3A)1(:|%3A)6\?/);
  const again = await openFresh(browser, url);
  await expect(again.getByTestId("cell-title")).toContainText("h:1:6");
  // By surprise no scale button claims the text (it is yellow to red); the scale is kept for "by unit".
  await expect(again.getByRole("link", { name: "by unit" })).toHaveAttribute("href", /scale=cb/);
  await expect(again.getByRole("link", { name: "by surprise" })).toHaveAttribute("aria-current", "true");
  await expect(again.getByTestId("legend")).toContainText("surprise");
  await expect(again.getByTestId("inspector")).toContainText("offset 1,234");
  expect(await again.getByTestId("guesses").innerText()).toBe(guesses);
  await expect(again.locator('[data-testid="text-view"] span[aria-current="true"]')).toHaveAttribute("data-o", "1234");
  await again.context().close();
});

test("search: a regex with its mode and ranking, then a built-in signal, come back from copied links", async ({ page, browser }) => {
  await page.goto(`/models/${MODEL}/search`);
  await page.getByRole("textbox", { name: "Pattern", exact: true }).fill("[A-Z][a-z]+");
  await page.getByTestId("mode-select").selectOption("start");
  await page.getByLabel("Rank by").selectOption("auc");
  await page.getByRole("button", { name: "Rank units" }).first().click();
  await expect(page).toHaveURL(/mode=start/);
  await expect(page).toHaveURL(/sort=auc/);
  const units = await page.getByTestId("result-unit").allTextContents();
  expect(units.length).toBe(25);

  let again = await openFresh(browser, await copyLink(page));
  await expect(again.getByRole("textbox", { name: "Pattern", exact: true })).toHaveValue("[A-Z][a-z]+");
  await expect(again.getByTestId("mode-select")).toHaveValue("start");
  await expect(again.getByLabel("Rank by")).toHaveValue("auc");
  await expect(again.getByRole("heading", { name: /Units ranked against/ })).toContainText("(start)");
  expect(await again.getByTestId("result-unit").allTextContents()).toEqual(units);
  await again.context().close();

  await page.getByTestId("signal-select").selectOption("chars_since_newline");
  await page.getByRole("button", { name: "Rank units" }).nth(1).click();
  await expect(page).toHaveURL(/signal=chars_since_newline/);
  const bySignal = await page.getByTestId("result-unit").allTextContents();
  again = await openFresh(browser, await copyLink(page));
  await expect(again.getByTestId("signal-select")).toHaveValue("chars_since_newline");
  expect(await again.getByTestId("result-unit").allTextContents()).toEqual(bySignal);
  await again.context().close();
});

test("compare: the units, offset, scale and a clicked character (with its inspector) come back from a copied link", async ({ page, browser }) => {
  await page.goto(`/models/${MODEL}/compare?units=h:1:4,h:1:5&at=300&scale=cb`);
  await hydrated(page);
  await expect(page.getByTestId("inspector-hint")).toBeVisible();
  await page.locator('[data-testid="compare-rows"] span[data-o="310"]').first().click();
  await expect(page).toHaveURL(/sel=310/);
  await expect(page).toHaveURL(/scale=cb/);
  await expect(page.getByTestId("inspector")).toContainText("offset 310");
  // Both rows mark the selected character.
  await expect(page.locator('[data-testid="compare-rows"] span[aria-current="true"]')).toHaveCount(2);
  const guesses = await page.getByTestId("guesses").innerText();
  const colors = await backgrounds(page, '[data-testid="compare-rows"] span[data-o]', 200);

  const again = await openFresh(browser, await copyLink(page));
  await expect(again.getByRole("textbox", { name: /Units/ })).toHaveValue("h:1:4,h:1:5");
  await expect(again.getByTestId("inspector")).toContainText("offset 310");
  expect(await again.getByTestId("guesses").innerText()).toBe(guesses);
  await expect(again.locator('[data-testid="compare-rows"] span[aria-current="true"]').first()).toHaveAttribute("data-o", "310");
  expect(await backgrounds(again, '[data-testid="compare-rows"] span[data-o]', 200)).toEqual(colors);
  await again.context().close();
});

test("sample: the unit, temperature, length, prime and seed come back from a copied link, with the same text", async ({ page, browser }) => {
  await page.goto(`/models/${MODEL}/sample`);
  await page.getByLabel("Unit", { exact: true }).fill("c:1:7");
  await page.getByLabel("Temperature").fill("0.5");
  await page.getByLabel("Length").fill("80");
  await page.getByLabel("Seed").fill("7");
  await page.getByLabel("Prime text").fill("Pierre ");
  await page.getByRole("button", { name: "Generate" }).click();
  await expect(page).toHaveURL(/temperature=0\.5/);
  await expect(page.getByTestId("sample-status")).toHaveText("80 characters generated", { timeout: 30_000 });
  const text = await page.getByTestId("sample-text").innerText();
  expect(text.startsWith("Pierre ")).toBe(true);

  const again = await openFresh(browser, await copyLink(page));
  await expect(again.getByLabel("Unit", { exact: true })).toHaveValue("c:1:7");
  await expect(again.getByLabel("Temperature")).toHaveValue("0.5");
  await expect(again.getByLabel("Seed")).toHaveValue("7");
  await expect(again.getByLabel("Prime text")).toHaveValue("Pierre ");
  await expect(again.getByTestId("sample-status")).toHaveText("80 characters generated", { timeout: 30_000 });
  expect(await again.getByTestId("sample-text").innerText()).toBe(text);
  await again.context().close();
});

/** The page's title, og:title and og:description. */
async function meta(page: Page) {
  return {
    title: await page.title(),
    og: await page.locator('meta[property="og:title"]').getAttribute("content"),
    description: await page.locator('meta[property="og:description"]').getAttribute("content"),
  };
}

test("titles and Open Graph tags describe what a link shows, a detector cell by its nickname", async ({ page, request }) => {
  // A detector from the home page's gallery: "warpeace-2x64 · h:1:44 · paragraph_start detector" (or the user's label).
  await page.goto("/");
  const card = page.getByTestId("detector-card").first();
  const signal = (await card.getByRole("link").first().textContent())!.trim();
  const unit = (await card.getByTestId("detector-unit").textContent())!.split(" · ")[1];
  const label = (await (await request.get(`/api/models/${MODEL}/units/${unit}`)).json()).unit.label;
  await card.getByTestId("detector-unit").click();
  await expect(page.getByTestId("cell-title")).toContainText(unit);
  // A client-side navigation: the new page's metadata streams in after its body.
  await expect(page).toHaveTitle(`${MODEL} · ${unit} · ${label ? label.label : `${signal} detector`}`);
  let m = await meta(page);
  expect(m.og).toBe(m.title);
  expect(m.description).toContain(`Unit ${unit}`);

  await page.goto(`/models/${MODEL}`);
  m = await meta(page);
  expect(m.title).toBe(`${MODEL} · 2×64 LSTM on warpeace`);
  expect(m.og).toBe(m.title);
  expect(m.description).toMatch(/\d\.\d{3} bits\/char/);

  await page.goto(`/models/${MODEL}/search?signal=inside_quotes`);
  m = await meta(page);
  expect(m.title).toBe(`${MODEL} · search · inside_quotes`);
  expect(m.og).toBe(m.title);
  expect(m.description).toContain('inside double quotes "…"');
  await page.goto(`/models/${MODEL}/search?q=${encodeURIComponent('"[^"]*"')}`);
  expect((await meta(page)).og).toBe(`${MODEL} · search · /"[^"]*"/`);

  await page.goto(`/models/${MODEL}/sample?unit=${UNIT}&length=5`);
  m = await meta(page);
  expect(m.og).toBe(`${MODEL} · sample · ${UNIT}`);
  expect(m.description).toContain(`by unit ${UNIT}`);

  await page.goto(`/models/${MODEL}/compare?units=h:1:4,h:1:5`);
  m = await meta(page);
  expect(m.og).toBe(`${MODEL} · compare h:1:4, h:1:5`);
  expect(m.description).toContain("Units h:1:4, h:1:5 of");
  expect(await page.locator('meta[property="og:site_name"]').getAttribute("content")).toBe("Cellscope");
});

test("a unit spelled as a path (/cells/LAYER/INDEX, /cells/KIND/LAYER/INDEX) redirects to its permalink, view kept", async ({ page, request }) => {
  // Permanent redirects, with the query carried over.
  let res = await request.get(`/models/${MODEL}/cells/1/5?at=40&scale=cb`, { maxRedirects: 0 });
  expect(res.status()).toBe(308);
  expect(res.headers().location).toMatch(new RegExp(`/models/${MODEL}/cells/c:1:5\\?at=40&scale=cb$`));
  res = await request.get(`/models/${MODEL}/cells`, { maxRedirects: 0 });
  expect(res.status()).toBe(308);
  expect(res.headers().location).toMatch(new RegExp(`/models/${MODEL}$`));

  // In the browser: the cell page of that unit, at that character, in that scale.
  await page.goto(`/models/${MODEL}/cells/h/1/5?at=40&scale=cb`);
  await expect(page).toHaveURL(new RegExp(`/models/${MODEL}/cells/h:1:5\\?at=40&scale=cb$`));
  await expect(page.getByTestId("cell-title")).toContainText("h:1:5");
  await expect(page.getByTestId("inspector")).toContainText("offset 40");

  // Not a unit, or not one of this model's: the 404 that explains unit ids.
  for (const path of ["cells/x/1/5", "cells/1/5/6/7", "cells/1/999"]) {
    const r = await page.goto(`/models/${MODEL}/${path}`);
    expect(r?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect(page.getByText("KIND:LAYER:INDEX")).toBeVisible();
  }
});
