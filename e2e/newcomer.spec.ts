/**
 * A newcomer's first minutes, by visible links only: from the home page to a
 * detector (the gallery's whitespace card: the 2×64 fixture is too small to
 * have learned quotes, so the gallery rightly has no quote card for it; with
 * the shipped models this is the quote cell), its permalink (Copy link,
 * opened in a fresh browser), then a regex search for the same thing, whose
 * results rank that same unit high and lead back to it.
 */
import { expect, test } from "@playwright/test";

test("home → a detector (the whitespace cell here, the quote cell with the shipped models) → permalink → regex search, by obvious links", async ({ page, browser }) => {
  await page.goto("/");
  // The whitespace cell is no famous one: it waits behind "All signals".
  await page.getByTestId("all-signals").getByText("All signals").click();
  const card = page.getByTestId("detector-card").filter({ has: page.getByRole("link", { name: "is_space", exact: true }) });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText("whitespace");
  const link = card.getByTestId("detector-unit");
  const [model, unit] = (await link.textContent())!.split(" · ");
  await link.click();

  // The whitespace unit.
  await expect(page.getByTestId("cell-title")).toContainText(unit);
  await expect(page.getByText("Best unit of this model for")).toContainText("is_space");
  await expect(page.getByTestId("text-view")).toBeVisible();
  await expect(page.getByTestId("legend")).toBeVisible();

  // Its permalink, opened by someone else.
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  await page.getByRole("button", { name: "Copy link" }).click();
  await expect(page.getByRole("button", { name: "Link copied" })).toBeVisible();
  const permalink = await page.evaluate(() => navigator.clipboard.readText());
  expect(permalink).toBe(page.url());
  expect(new URL(permalink).pathname).toMatch(new RegExp(`^/models/${model}/cells/${unit.replaceAll(":", "(:|%3A)")}$`));
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(permalink);
  await expect(other.getByTestId("cell-title")).toContainText(unit);
  await fresh.close();

  // A regex search from the box at the top of the cell page.
  const box = page.getByRole("searchbox", { name: "Search units by regular expression" }).or(page.getByRole("textbox", { name: "Search units by regular expression" }));
  await box.fill("\\s");
  await box.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/models/${model}/search\\?q=`));
  await expect(page.getByRole("heading", { name: /Units ranked against/ })).toBeVisible();
  const results = page.getByTestId("search-results").getByRole("listitem");
  await expect(results).toHaveCount(25);
  // The whitespace unit is found again by the pattern, among the first few units.
  const ranked = await page.getByTestId("result-unit").allTextContents();
  expect(ranked.slice(0, 5)).toContain(unit);
  await page.getByTestId("result-unit").filter({ hasText: new RegExp(`^${unit}$`) }).click();
  await expect(page.getByTestId("cell-title")).toContainText(unit);
  await expect(page.getByTestId("inspector")).toBeVisible();
});
