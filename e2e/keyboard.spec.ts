/**
 * Keyboard use: every stop of the Tab order shows a visible focus ring, the
 * skip link comes first, and a search can be run and opened without a mouse.
 */
import { expect, test, type Page } from "@playwright/test";
import { cellUrl, MODEL, UNIT } from "./helpers.ts";

/** Tabs through the first `stops` focusable elements, describing how each one shows its focus. */
async function tabStops(page: Page, stops: number) {
  const seen = [];
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press("Tab");
    seen.push(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const s = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return {
          what: `${el.tagName.toLowerCase()} ${(el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 30)}`,
          outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
          visible: box.width > 0 && box.height > 0,
        };
      }),
    );
  }
  return seen.filter((s) => s !== null);
}

for (const [name, url] of [
  ["home", "/"],
  ["model", `/models/${MODEL}`],
  ["cell", cellUrl(UNIT, "?at=200")],
  ["search", `/models/${MODEL}/search?signal=is_space`],
  ["compare", `/models/${MODEL}/compare?units=h:1:4,h:1:5&sel=20`],
  ["sample", `/models/${MODEL}/sample?unit=${UNIT}&length=20`],
] as const) {
  test(`${name}: each Tab stop shows a visible focus ring`, async ({ page }) => {
    await page.goto(url);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    const stops = await tabStops(page, 20);
    expect(stops.length).toBeGreaterThan(5);
    expect(stops[0]!.what).toContain("Skip to content");
    for (const s of stops) {
      expect(s!.outline, `focus ring on ${s!.what}`).toBe(true);
      expect(s!.visible, `${s!.what} is visible when focused`).toBe(true);
    }
  });
}

test("a search by keyboard alone: / to the box, Enter to rank, Tab to a result, Enter to open it", async ({ page }) => {
  await page.goto(`/models/${MODEL}/search`);
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  await page.keyboard.press("/");
  await expect(page.getByRole("textbox", { name: "Pattern", exact: true })).toBeFocused();
  await page.keyboard.type("[0-9]+");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("search-results")).toBeVisible();
  const first = page.getByTestId("result-unit").first();
  const unit = (await first.textContent())!;
  // From the Copy link button (after the results' heading), Tab reaches the first result.
  await page.getByTestId("copy-link").focus();
  await page.keyboard.press("Tab");
  await expect(first).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("cell-title")).toContainText(unit);
});

test("arrow keys move the selection in the text; the inspector follows with at most a few requests", async ({ page }) => {
  await page.goto(cellUrl(UNIT, "?at=200"));
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  await expect(page.getByTestId("text-view")).toHaveAttribute("data-mode", "virtual", { timeout: 15_000 });
  await expect(page.getByTestId("guesses").getByRole("listitem")).toHaveCount(5);
  await page.waitForLoadState("networkidle");
  const asked: string[] = [];
  page.on("request", (r) => {
    if (!r.url().includes("/activations?")) asked.push(r.url());
  });
  const view = page.getByTestId("text-view");
  await view.focus();
  const entries = await page.evaluate(() => history.length);
  for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowLeft");
  await expect(page).toHaveURL(/at=204/);
  await expect(view.locator('span[aria-current="true"]')).toHaveAttribute("data-o", "204");
  await expect(page.getByTestId("inspector")).toContainText("offset 204");
  await expect(page.getByTestId("inspector-pending")).toHaveCount(0, { timeout: 10_000 });
  await page.waitForLoadState("networkidle");
  // Only the inspector's data, no page renders; a request in flight makes later presses wait and share one.
  expect(asked.length).toBeGreaterThan(0);
  expect(asked.every((u) => /\/inspect\?at=\d+$/.test(u))).toBe(true);
  expect(asked.length).toBeLessThanOrEqual(3);
  expect(asked.at(-1)).toMatch(/at=204$/);
  // Arrow keys replace the history entry rather than adding one per press; the text keeps the focus.
  expect(await page.evaluate(() => history.length)).toBe(entries);
  await expect(view).toBeFocused();
});
