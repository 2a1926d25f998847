import { expect, test } from "@playwright/test";
import { MODEL } from "./helpers.ts";

test("searching by regex ranks units, each with a preview around the first match", async ({ page }) => {
  await page.goto(`/models/${MODEL}/search`);
  await page.getByRole("textbox", { name: "Pattern", exact: true }).fill('"[^"\\n]*"');
  await page.getByRole("button", { name: "Rank units" }).first().click();
  await expect(page).toHaveURL(/q=/);
  const results = page.getByTestId("search-results").getByRole("listitem");
  await expect(results).toHaveCount(25);
  await expect(page.getByTestId("search-summary")).toContainText(/\d+ matches/);
  const first = results.first();
  await expect(first).toContainText(/r [+−]\d\.\d{3} · AUC \d\.\d{3}/);
  // The preview underlines the match and is colored by the unit.
  const marked = first.locator("[data-mark]");
  expect(await marked.count()).toBeGreaterThan(1);
  await expect(marked.first()).toHaveText('"');
  const bgs = await first.getByTestId("snippet").locator("span").evaluateAll((els) => els.map((e) => (e as HTMLElement).style.backgroundColor));
  expect(new Set(bgs).size).toBeGreaterThan(3);
  // |r| is ranked from strongest down.
  const rs = await results.evaluateAll((els) => els.map((e) => Math.abs(Number(/r ([+−])(\d\.\d+)/.exec(e.textContent ?? "")![2]))));
  expect([...rs].sort((a, b) => b - a)).toEqual(rs);
  // A result opens its cell at the match.
  const unit = (await first.getByTestId("result-unit").textContent())!;
  await first.getByTestId("result-unit").click();
  await expect(page).toHaveURL(new RegExp(`/cells/${unit.replaceAll(":", "(:|%3A)")}\\?at=\\d+`));
  await expect(page.getByTestId("inspector")).toBeVisible();
});

test("an invalid pattern is explained inline; no matches are said as such", async ({ page }) => {
  const res = await page.goto(`/models/${MODEL}/search?q=${encodeURIComponent("(unclosed")}`);
  expect(res?.status()).toBe(200);
  await expect(page.getByTestId("search-error")).toContainText("invalid pattern: missing closing )");
  await expect(page.getByRole("textbox", { name: "Pattern", exact: true })).toHaveValue("(unclosed");

  await page.goto(`/models/${MODEL}/search?q=qqqqzzzz`);
  await expect(page.getByTestId("search-problem")).toContainText("No matches");
  await page.goto(`/models/${MODEL}/search?q=${encodeURIComponent("[\\s\\S]")}`);
  await expect(page.getByTestId("search-problem")).toContainText("Matches everything");
  await page.goto(`/models/${MODEL}/search?q=${encodeURIComponent("\\(")}&mode=depth`);
  await expect(page.getByTestId("search-error")).toContainText("close");
});

test("the signal picker ranks units against a built-in signal", async ({ page }) => {
  await page.goto(`/models/${MODEL}/search`);
  await page.getByTestId("signal-select").selectOption("is_space");
  await page.getByRole("button", { name: "Rank units" }).nth(1).click();
  await expect(page).toHaveURL(/signal=is_space/);
  await expect(page.getByRole("heading", { name: /Units ranked against is_space/ })).toBeVisible();
  const results = page.getByTestId("search-results").getByRole("listitem");
  await expect(results.first()).toContainText(/AUC/);
  await expect(page.getByTestId("signal-select")).toHaveValue("is_space");
  // / focuses the regex box.
  await page.locator("body").click();
  await page.keyboard.press("/");
  await expect(page.getByRole("textbox", { name: "Pattern", exact: true })).toBeFocused();
});

test("a search over part of the text: the stretch is in the URL, the summary and every preview", async ({ page }) => {
  await page.goto(`/models/${MODEL}/search`);
  const signalForm = page.getByRole("form", { name: "Search by built-in signal" });
  await signalForm.getByTestId("signal-select").selectOption("is_upper");
  await signalForm.getByText("Only part of the text").click();
  await signalForm.getByTestId("signal-from").fill("1000");
  await signalForm.getByTestId("signal-to").fill("3000");
  await signalForm.getByRole("button", { name: "Rank units" }).click();
  await expect(page).toHaveURL(/signal=is_upper.*from=1000&to=3000/);
  await expect(page.getByTestId("search-range")).toHaveText(/^over offsets 1,000–2,999 only \(2,000 of [\d,]+ characters\)$/);
  const results = page.getByTestId("search-results").getByRole("listitem");
  await expect(results).toHaveCount(25);
  // Previews (and the links to the cells) sit inside the stretch.
  const ats = await page.getByTestId("result-unit").evaluateAll((els) => els.map((e) => Number(new URL((e as HTMLAnchorElement).href).searchParams.get("at"))));
  for (const at of ats) expect(at >= 1000 && at < 3000, `at=${at}`).toBe(true);
  const inPart = await page.getByTestId("result-unit").allTextContents();
  // The stretch stays set in the form (reopened), and "all" ranks the whole recording again, with another ranking.
  await expect(signalForm.getByTestId("signal-from")).toHaveValue("1000");
  await page.getByRole("link", { name: "rank over all" }).click();
  await expect(page).not.toHaveURL(/from=/);
  await expect(page.getByTestId("search-range")).toHaveCount(0);
  expect(await page.getByTestId("result-unit").allTextContents()).not.toEqual(inPart);
});
