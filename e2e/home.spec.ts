import { expect, test } from "@playwright/test";
import { MODEL } from "./helpers.ts";
import { SIGNALS } from "../lib/search/signals.ts";

/** A number as the UI prints it (with a real minus sign). */
const num = (s: string) => Number(s.replace("−", "-"));

test("home lists the model with its size and test loss, and its detectors", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle("Cellscope");
  await expect(page.getByRole("heading", { level: 1, name: /a microscope for the cells of recurrent networks/i })).toBeVisible();
  await expect(page.getByTestId("store-summary")).toHaveText("1 corpus · 1 model");

  const row = page.getByTestId("models-table").getByRole("row", { name: new RegExp(MODEL) });
  await expect(row).toContainText("2 × 64 LSTM");
  await expect(row).toContainText(/\d\.\d{3} bits\/char/);
  await expect(row).toContainText("chars");

  const cards = page.getByTestId("detector-card");
  expect(await cards.count()).toBeGreaterThan(2);
  const first = cards.first();
  await expect(first.getByTestId("detector-unit")).toHaveText(new RegExp(`${MODEL} · [chifo]:\\d:\\d+`));
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
  expect(await res.json()).toEqual({ ok: true, corpora: 1, models: 1 });
});
