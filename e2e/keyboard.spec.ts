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

test("arrow keys move the selection in the text; the inspector follows, presses in a row sharing a request", async ({ page }) => {
  await page.goto(cellUrl(UNIT, "?at=200"));
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  await expect(page.getByTestId("text-view")).toHaveAttribute("data-mode", "virtual", { timeout: 15_000 });
  await expect(page.getByTestId("guesses").getByRole("listitem")).toHaveCount(5);
  await page.waitForLoadState("networkidle");
  const asked: string[] = [];
  page.on("request", (r) => asked.push(r.url()));
  const view = page.getByTestId("text-view");
  const inspector = page.getByTestId("inspector");
  await view.focus();
  const entries = await page.evaluate(() => history.length);
  await page.keyboard.press("ArrowRight");
  await expect(view.locator('span[aria-current="true"]')).toHaveAttribute("data-o", "201");
  await expect(inspector).toContainText("offset 201");
  await expect(page.getByTestId("inspector-pending")).toHaveCount(0, { timeout: 10_000 });
  // Then a burst, as a held key sends them: five right, one left, in one go.
  const before = asked.length;
  await view.evaluate((el) => {
    for (const key of ["ArrowRight", "ArrowRight", "ArrowRight", "ArrowRight", "ArrowRight", "ArrowLeft"]) el.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
  });
  await expect(page).toHaveURL(/at=205/);
  await expect(view.locator('span[aria-current="true"]')).toHaveAttribute("data-o", "205");
  await expect(inspector).toContainText("offset 205");
  await expect(page.getByTestId("inspector-pending")).toHaveCount(0, { timeout: 10_000 });
  await page.waitForLoadState("networkidle");
  // Only the inspector's data, no render of the cell page: one request for the single press; for the
  // burst, one for its first press (asked at once, as a click is) and one for where it ended.
  expect(asked.slice(0, before).filter((u) => u.includes("/inspect?"))).toEqual([expect.stringMatching(/at=201$/)]);
  const burst = asked.slice(before).filter((u) => u.includes("/inspect?"));
  expect(burst.length).toBeLessThanOrEqual(2);
  expect(burst.at(-1)).toMatch(/at=205$/);
  expect(asked.filter((u) => u.includes("/cells/"))).toEqual([]);
  // Arrow keys replace the history entry rather than adding one per press; the text keeps the focus.
  expect(await page.evaluate(() => history.length)).toBe(entries);
  await expect(view).toBeFocused();
});
