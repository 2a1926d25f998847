import { expect, test } from "@playwright/test";
import { horizontalOverflow, MODEL } from "./helpers.ts";
import { FAMOUS_SIGNALS, SIGNALS } from "../lib/search/signals.ts";
import { UNIT_KINDS } from "../lib/model/unit-kinds.ts";

/** A number as the UI prints it (with a real minus sign). */
const num = (s: string) => Number(s.replace("−", "-"));

test("home lists the model with its size and test loss, and its detectors", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle("Cellscope");
  await expect(page.getByRole("heading", { level: 1, name: /a microscope for the cells of recurrent networks/i })).toBeVisible();
  // The char model and the e2e captioner's decoder (recorded over test captions: the corpus "captions").
  await expect(page.getByTestId("store-summary")).toHaveText("2 corpora · 2 models");
  const captioner = page.getByTestId("model-card").filter({ hasText: "captioner-lstm" });
  await expect(captioner).toContainText("its word-level decoder, recorded over test captions");
  await expect(captioner.getByRole("link", { name: "caption a scene" })).toHaveAttribute("href", "/captioning");
  // The paper's famous cells are char models' cells: none of the captioner's.
  await expect(page.getByTestId("detector-unit").filter({ hasText: "captioner-lstm" })).toHaveCount(0);

  const card = page.getByTestId("model-card").filter({ hasText: MODEL });
  await expect(card).toContainText("2 × 64 LSTM");
  await expect(card).toContainText(/\d\.\d{3} bits\/char/);
  await expect(card).toContainText("characters recorded");
  await expect(card.getByRole("link", { name: "search" })).toHaveAttribute("href", `/models/${MODEL}/search`);

  const cards = page.getByTestId("detector-card");
  expect(await cards.count()).toBeGreaterThan(2);
  const first = cards.first();
  await expect(first.getByTestId("detector-unit")).toHaveText(new RegExp(`${MODEL} · [${UNIT_KINDS.join("")}]:\\d:\\d+`));
  // Each card has a tiny preview colored by its unit.
  await expect(first.getByTestId("snippet")).toBeVisible();

  // A card is only for a unit that tracks its signal clearly (lib/search/strength.ts).
  for (const score of await page.getByTestId("detector-score").allTextContents()) {
    const [, r, auc] = /r ([+−-]?[\d.]+)(?: · AUC ([\d.]+))?/.exec(score)!;
    const clear = Math.abs(num(r)) >= 0.3 || (auc !== undefined && Math.abs(num(auc) - 0.5) >= 0.3);
    expect(clear, score).toBe(true);
  }

  // A detector links to its cell.
  const unit = (await first.getByTestId("detector-unit").textContent())!.split(" · ")[1];
  await first.getByTestId("detector-unit").click();
  await expect(page).toHaveURL(new RegExp(`/models/${MODEL}/cells/${unit.replaceAll(":", "(:|%3A)")}$`));
  await expect(page.getByTestId("cell-title")).toContainText(unit);
});

test("home leads with the famous detectors, within the first screen; the rest wait behind “all signals”", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/");
  const famous = page.getByTestId("famous-detectors").getByTestId("detector-card");
  // The fixture is too small for a quote cell; its famous cell is the paragraph start (with the shipped models, the quote cell leads).
  expect(await famous.count()).toBeGreaterThan(0);
  for (const signal of await famous.evaluateAll((els) => els.map((e) => e.getAttribute("data-signal")!))) expect(FAMOUS_SIGNALS).toContain(signal);
  // The first card of the page is the strongest famous one, on the first screen, before any scrolling.
  await expect(page.getByTestId("detector-card").first()).toHaveAttribute("data-signal", (await famous.first().getAttribute("data-signal"))!);
  const box = (await famous.first().boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(800);
  // Each model's famous cells, strongest |r| first.
  const rs = (await famous.getByTestId("detector-score").allTextContents()).map((t) => Math.abs(num(/r ([+−-]?[\d.]+)/.exec(t)![1])));
  expect(rs).toEqual([...rs].sort((a, b) => b - a));

  // "All signals" is closed and holds the other clear detectors, none of them famous.
  const all = page.getByTestId("all-signals");
  const rest = all.getByTestId("detector-card");
  expect(await rest.count()).toBeGreaterThan(0);
  await expect(rest.first()).toBeHidden();
  for (const signal of await rest.evaluateAll((els) => els.map((e) => e.getAttribute("data-signal")!))) expect(FAMOUS_SIGNALS).not.toContain(signal);
  await expect(all.locator("summary")).toHaveText(`All signals: ${await rest.count()} more detectors`);
  await all.locator("summary").focus();
  await page.keyboard.press("Enter");
  await expect(rest.first()).toBeVisible();
  await expect(all.getByTestId("hidden-detectors")).toBeVisible();
});

test("on a phone the models are cards: no sideways scrolling, every link on screen, the size on one line; the famous cells come first", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  const card = page.getByTestId("model-card").filter({ hasText: MODEL });
  for (const link of await card.getByRole("link").all()) {
    const box = (await link.boundingBox())!;
    expect(box.x, (await link.textContent()) ?? "").toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, (await link.textContent()) ?? "").toBeLessThanOrEqual(390);
  }
  // "2 × 64 LSTM" never breaks inside.
  const size = card.getByText("2 × 64 LSTM");
  const lineHeight = await size.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
  expect((await size.boundingBox())!.height).toBeLessThan(1.5 * lineHeight);
  // The first detector cards on the phone are the famous ones.
  const firstCard = page.getByTestId("detector-card").first();
  expect(FAMOUS_SIGNALS).toContain(await firstCard.getAttribute("data-signal"));
  await expect(firstCard).toBeVisible();
});

test("home says what share of each model's units track something nameable, and the model page lists them", async ({ page }) => {
  await page.goto("/");
  const share = page.getByTestId("model-card").filter({ hasText: MODEL }).getByTestId("interpretable-share");
  const [, percent, count, total] = /([\d.]+)% of its units track something nameable \((\d+) of ([\d,]+)\)/.exec((await share.textContent())!)!;
  expect(Number(total.replace(",", ""))).toBe(2 * 2 * 64);
  expect(Number(percent)).toBeCloseTo((100 * Number(count)) / 256, 1);
  await share.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/models/${MODEL}#interpretable$`));
  await expect(page.getByTestId("interpretable")).toBeInViewport();
  await expect(page.getByTestId("interpretable-summary")).toContainText(`${count} of 256 units`);
  const rows = page.getByTestId("interpretable-list").locator("tbody tr");
  await expect(rows).toHaveCount(Number(count));
  // Each row: the unit (to its cell), its best signal with |r| ≥ 0.5 or AUC 0.35 from chance.
  for (const row of (await rows.all()).slice(0, 10)) {
    const [, , r, auc] = await row.locator("td").allTextContents();
    expect(Math.abs(num(r)) >= 0.5 || (auc !== "" && Math.abs(num(auc) - 0.5) >= 0.35), (await row.textContent()) ?? "").toBe(true);
  }
  const unit = (await rows.first().getByRole("link").first().textContent())!;
  await rows.first().getByRole("link").first().click();
  await expect(page.getByTestId("cell-title")).toContainText(unit);
});

test("the README's /collections/the-famous-five opens on a fresh store: set-up seeded it from the famous detectors it found", async ({ page }) => {
  await page.goto("/");
  // The famous five are the first famous detector of each famous signal, in FAMOUS_SIGNALS' order (one model here: each is its model's).
  const famous = await page
    .getByTestId("famous-detectors")
    .getByTestId("detector-card")
    .evaluateAll((els) => els.map((e) => ({ signal: e.getAttribute("data-signal")!, unit: e.querySelector("[data-testid=detector-unit]")!.textContent!.split(" · ")[1] })));
  const expected = famous
    .sort((a, b) => FAMOUS_SIGNALS.indexOf(a.signal) - FAMOUS_SIGNALS.indexOf(b.signal))
    .filter((d, i, all) => all.findIndex((x) => x.unit === d.unit) === i)
    .slice(0, 5);
  expect(expected.length).toBeGreaterThan(0);
  const res = await page.goto("/collections/the-famous-five");
  expect(res?.status()).toBe(200);
  await expect(page.getByTestId("collection-title")).toHaveText("The famous five");
  const entries = page.getByTestId("unit-entry");
  await expect(entries).toHaveCount(expected.length);
  expect(await entries.evaluateAll((els) => els.map((e) => e.getAttribute("data-unit")))).toEqual(expected.map((d) => `${MODEL}/${d.unit}`));
  await expect(entries.first().getByTestId("entry-note")).toContainText(`${expected[0].signal}:`);
});

test("the model page shows the unit map, training curve and detectors", async ({ page }) => {
  await page.goto(`/models/${MODEL}`);
  await expect(page.getByRole("heading", { level: 1, name: MODEL })).toBeVisible();
  for (const g of ["c-0", "c-1", "h-0", "h-1"]) await expect(page.getByTestId(`unit-map-${g}`).getByRole("link")).toHaveCount(64);
  await expect(page.getByTestId("loss-chart")).toBeVisible();
  await expect(page.getByTestId("detectors").getByRole("row")).not.toHaveCount(0);

  // Every signal's best unit is listed; signals made for another kind of text (code, LaTeX) and
  // units that track theirs only weakly are marked so, and the home gallery leaves them out.
  const rows = page.getByTestId("detectors").locator("tbody tr");
  let shown = 0;
  const marks = new Set<string>();
  for (const row of await rows.all()) {
    const [, , r, auc] = await row.locator("td").allTextContents();
    const signal = (await row.getByRole("link").first().textContent())!;
    const caveat = row.getByTestId("detector-caveat");
    const mark = (await caveat.count()) ? (await caveat.textContent())! : "";
    marks.add(mark);
    const kind = SIGNALS.find((s) => s.name === signal)!.for;
    if (kind !== "prose" && kind !== "any") {
      expect(mark, signal).toBe(`for ${kind}`);
      continue;
    }
    const weak = Math.abs(num(r)) < 0.3 && (auc === "" || Math.abs(num(auc) - 0.5) < 0.3);
    expect(mark, `${await row.textContent()}`).toBe(weak ? "weak" : "");
    if (!weak) shown++;
  }
  expect([...marks]).toEqual(expect.arrayContaining(["", "weak", "for code"]));
  await page.goto("/");
  await expect(page.getByTestId("detector-card")).toHaveCount(shown);
  await page.goto(`/models/${MODEL}`);

  // ?stat= recolors the map (and is kept in the URL).
  const cell = page.getByTestId("unit-map-h-1").getByRole("link").first();
  const before = await cell.evaluate((el) => (el as HTMLElement).style.backgroundColor);
  await page.getByRole("link", { name: "mean", exact: true }).click();
  await expect(page).toHaveURL(/stat=mean/);
  await expect.poll(() => cell.evaluate((el) => (el as HTMLElement).style.backgroundColor)).not.toBe(before);
  await cell.click();
  await expect(page).toHaveURL(new RegExp(`/cells/h(:|%3A)1(:|%3A)0`));
});

test("health endpoint answers", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.ok()).toBe(true);
  expect(await res.json()).toEqual({ ok: true, corpora: 2, models: 2 }); // the char model, and the captioner over its test captions
});
