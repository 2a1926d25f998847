import { expect, test } from "@playwright/test";
import { cellUrl, MODEL, UNIT, waitForHydration } from "./helpers.ts";

test("select a span on a cell page, then see where else its units fire", async ({ page, request }) => {
  await page.goto(cellUrl(UNIT, "?at=300"));
  await waitForHydration(page);
  await expect(page.getByTestId("text-view")).toHaveAttribute("data-mode", "virtual", { timeout: 15_000 });
  // Select offsets 300–303 with the mouse: from the first character's left edge to the fourth's right edge.
  const first = page.locator('[data-testid="text-view"] span[data-o="300"]');
  const last = page.locator('[data-testid="text-view"] span[data-o="303"]');
  const a = (await first.boundingBox())!, b = (await last.boundingBox())!;
  await page.mouse.move(a.x + 1, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width - 1, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId("span-selection")).toContainText("Selected offsets 300–303 (4 characters)");
  await page.getByTestId("match-span-link").click();
  await expect(page).toHaveURL(new RegExp(`/models/${MODEL}/match\\?from=300&to=304$`));
  // The page's set and matches are the API's.
  const api = await (await request.get(`/api/models/${MODEL}/match?from=300&to=304`)).json();
  const selection = page.getByTestId("match-selection");
  await expect(selection).toContainText("The selection: offsets 300–303");
  if (api.selected.length === 0) {
    await expect(page.getByTestId("match-none")).toBeVisible();
  } else {
    await expect(page.getByTestId("match-units").getByRole("link")).toHaveCount(api.selected.length);
    await expect(page.getByTestId("match-results").locator("li")).toHaveCount(api.matches.length);
    expect(api.matches.every((m: { start: number; end: number }) => m.end <= 300 || m.start >= 304)).toBe(true);
  }
});

test("bad spans are explained", async ({ page }) => {
  await page.goto(`/models/${MODEL}/match?from=10&to=5000`);
  await expect(page.getByTestId("match-problem")).toContainText("select at most 200");
  await page.goto(`/models/${MODEL}/match?from=10&to=5&threshold=0.5`);
  await expect(page.getByTestId("match-problem")).toContainText("to must be greater than from (10)");
  await page.goto(`/models/${MODEL}/match?from=10&to=20&threshold=2`);
  await expect(page.getByTestId("match-problem")).toContainText("threshold must be below 1");
});
