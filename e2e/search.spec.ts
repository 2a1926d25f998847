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

interface ApiResult {
  unit: string;
  r: number;
  std: number;
  caution?: string;
}

test("units that barely move: constant ones ranked last and counted, those that move little flagged", async ({ page, request }) => {
  // The fixture's layer-0 tanh(c) units are pinned at ±1 over the whole recording.
  const all = await (await request.get(`/api/models/${MODEL}/search?signal=is_space&limit=5000`)).json();
  const results: ApiResult[] = all.results;
  const constant = results.filter((x) => x.std < 0.001);
  expect(constant.length).toBeGreaterThan(0);
  expect(all.constant).toBe(constant.length);
  // Every unit that moves comes before every constant one; each constant one says so.
  const firstConstant = results.findIndex((x) => x.std < 0.001);
  expect(results.slice(firstConstant).every((x) => x.std < 0.001)).toBe(true);
  for (const x of constant) expect(x.caution).toMatch(/^constant: std under 0\.001$/);
  await page.goto(`/models/${MODEL}/search?signal=is_space`);
  await expect(page.getByTestId("search-constant")).toContainText(`${constant.length} constant units (std under 0.001) ranked last`);
  await expect(page.getByTestId("search-no-track")).toHaveCount(0);

  // Over a short stretch some units move by a few byte steps only: flagged beside their score, on the page as in the API.
  const query = "signal=is_space&from=5000&to=5040&limit=256";
  const part: ApiResult[] = (await (await request.get(`/api/models/${MODEL}/search?${query}`)).json()).results;
  const little = part.filter((x) => x.std >= 0.001 && x.std < 0.05);
  expect(little.length).toBeGreaterThan(0);
  for (const x of part) expect(Boolean(x.caution), `${x.unit} std ${x.std}`).toBe(x.std < 0.05);
  await page.goto(`/models/${MODEL}/search?${query}`);
  for (const x of little) {
    const item = page.getByTestId("search-results").getByRole("listitem").filter({ has: page.getByRole("link", { name: x.unit, exact: true }) });
    await expect(item.getByTestId("result-caution")).toHaveText(`moves little: std ${Number(x.std.toPrecision(1))}`);
  }
  const moving = part.find((x) => x.std >= 0.05)!;
  await expect(page.getByTestId("search-results").getByRole("listitem").filter({ has: page.getByRole("link", { name: moving.unit, exact: true }) }).getByTestId("result-caution")).toHaveCount(0);
});

test("a pattern no unit tracks is said to be tracked by none", async ({ page, request }) => {
  const q = encodeURIComponent("(a+)+$");
  const res = await (await request.get(`/api/models/${MODEL}/search?q=${q}&mode=end`)).json();
  const best = Math.max(...res.results.filter((x: ApiResult) => x.std >= 0.001).map((x: ApiResult) => Math.abs(x.r)));
  expect(res.bestR).toBeCloseTo(best, 10);
  expect(best).toBeLessThan(0.1);
  expect(res.noTrack).toBe(`no unit tracks this pattern: the best |r| is ${best.toFixed(3)} (under 0.1)`);
  await page.goto(`/models/${MODEL}/search?q=${q}&mode=end`);
  await expect(page.getByTestId("search-no-track")).toHaveText(`No unit tracks this pattern: the best |r| is ${best.toFixed(3)} (under 0.1). The ranking below is noise.`);
  // A pattern some unit does track (spaces, even in the small fixture model) gets no such line.
  const spaces = await (await request.get(`/api/models/${MODEL}/search?q=${encodeURIComponent(" ")}`)).json();
  expect(spaces.bestR).toBeGreaterThanOrEqual(0.1);
  expect(spaces.noTrack).toBeUndefined();
  await page.goto(`/models/${MODEL}/search?q=${encodeURIComponent(" ")}`);
  await expect(page.getByTestId("search-results")).toBeVisible();
  await expect(page.getByTestId("search-no-track")).toHaveCount(0);
});

test("search results carry the color legend", async ({ page }) => {
  await page.goto(`/models/${MODEL}/search?signal=inside_quotes&scale=cb`);
  const legend = page.getByTestId("legends").getByTestId("legend");
  await expect(legend).toHaveCount(1);
  await expect(legend).toHaveAttribute("aria-label", "Color legend: −1 orange, 0 white, +1 purple");
});

test("the signal picker offers the model's own kind of signal and keeps the user's choice through a regex search", async ({ page }) => {
  // The fixture is War and Peace: prose, whose first signal is inside_quotes.
  await page.goto(`/models/${MODEL}/search`);
  await expect(page.getByTestId("signal-select")).toHaveValue("inside_quotes");
  await page.goto(`/models/${MODEL}/search?signal=is_upper`);
  await expect(page.getByTestId("signal-select")).toHaveValue("is_upper");
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  const regexForm = page.getByRole("search", { name: "Search by regular expression" });
  await regexForm.getByRole("textbox", { name: "Pattern", exact: true }).fill("Prince");
  await regexForm.getByRole("button", { name: "Rank units" }).click();
  await expect(page).toHaveURL(/\?q=Prince$/);
  await expect(page.getByTestId("search-results")).toBeVisible();
  await expect(page.getByTestId("signal-select")).toHaveValue("is_upper");
  // A choice made without ranking yet is kept too, across a reload of a regex search.
  await page.getByTestId("signal-select").selectOption("paragraph_start");
  await page.reload();
  await expect(page.getByTestId("signal-select")).toHaveValue("paragraph_start");
});

test("form-made search URLs carry no empty or default parameters", async ({ page }) => {
  await page.goto(`/models/${MODEL}/search`);
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  const regexForm = page.getByRole("search", { name: "Search by regular expression" });
  await regexForm.getByRole("textbox", { name: "Pattern", exact: true }).fill("Prince [A-Z][a-z]+");
  await regexForm.getByRole("textbox", { name: "Pattern", exact: true }).press("Enter");
  await expect(page).toHaveURL(new RegExp(`/models/${MODEL}/search\\?q=Prince(\\+|%20)%5BA-Z%5D%5Ba-z%5D%2B$`));
  await expect(page.getByTestId("search-results")).toBeVisible();
  // Non-default choices are kept, and only those.
  await regexForm.getByTestId("mode-select").selectOption("end");
  await regexForm.getByLabel("Rank by").selectOption("auc");
  await regexForm.getByRole("button", { name: "Rank units" }).click();
  await expect(page).toHaveURL(/\?q=[^&]+&mode=end&sort=auc$/);
  await expect(page.getByTestId("search-results")).toBeVisible();
  const signalForm = page.getByRole("form", { name: "Search by built-in signal" });
  await signalForm.getByTestId("signal-select").selectOption("is_digit");
  await signalForm.getByRole("button", { name: "Rank units" }).click();
  await expect(page).toHaveURL(/\/search\?signal=is_digit$/);
  await expect(page.getByRole("heading", { name: /Units ranked against is_digit/ })).toBeVisible();
});
