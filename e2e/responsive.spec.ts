/**
 * Every view at desktop (1280 px) and phone (390 px) widths: nothing wider
 * than the screen, and the view's key parts visible. Screenshots are saved as
 * artifacts (test-results/screenshots/), not compared: pixels differ across
 * machines and fonts.
 */
import { expect, test } from "@playwright/test";
import { cellUrl, horizontalOverflow, MODEL, UNIT } from "./helpers.ts";

const views: [name: string, url: string, keyParts: string[]][] = [
  ["home", "/", ["models-list", "famous-detectors", "detector-gallery"]],
  ["model", `/models/${MODEL}`, ["unit-map-h-1", "interpretable", "loss-chart", "detectors", "gate-saturation"]],
  ["cell", cellUrl(UNIT, "?at=700"), ["cell-title", "legend", "text-view", "inspector", "heat-strips"]],
  ["search", `/models/${MODEL}/search?q=${encodeURIComponent('"[^"\\n]*"')}`, ["search-summary", "search-results"]],
  ["signal", `/models/${MODEL}/search?signal=inside_quotes`, ["signal-select", "search-results"]],
  ["compare", `/models/${MODEL}/compare?units=h:1:4,h:1:5,h:1:6&at=300&sel=320`, ["compare-rows", "inspector", "guesses"]],
  ["sample", `/models/${MODEL}/sample?unit=${UNIT}&length=40&seed=2`, ["sample-text", "sample-status"]],
  ["collections", "/collections", []],
  ["labels", "/labels?q=detector", []],
];

for (const width of [1280, 390]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: width > 500 ? 900 : 844 } });
    for (const [name, url, parts] of views) {
      test(`${name} fits and shows its key parts`, async ({ page }, info) => {
        const res = await page.goto(url);
        expect(res?.status()).toBe(200);
        await page.waitForLoadState("networkidle");
        await expect(page.locator("h1")).toBeVisible();
        for (const id of parts) {
          const part = page.getByTestId(id).first();
          await part.scrollIntoViewIfNeeded();
          await expect(part, `${name}: ${id}`).toBeVisible();
        }
        await page.screenshot({ path: info.outputPath(`${name}-${width}.png`), fullPage: true });
        await page.screenshot({ path: `test-results/screenshots/${name}-${width}.png`, fullPage: false });
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      });
    }
  });
}

test.describe("on a 390 px touch phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test("a tap on a character pins the inspector to the bottom of the screen, which says tap, not hover", async ({ page }) => {
    await page.goto(cellUrl(UNIT));
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    const hint = page.getByTestId("inspector-hint");
    await expect(hint.getByText("Tap", { exact: true })).toBeVisible();
    await expect(hint.getByText("Click", { exact: true })).toBeHidden();
    // The page opens where the unit changes most: tap a character of what it shows, once laid out.
    await expect(page.getByTestId("text-view")).toHaveAttribute("data-mode", "virtual", { timeout: 15_000 });
    const from = Number((await page.getByTestId("opening-note").innerText()).match(/offsets ([\d,]+)/)![1].replace(/,/g, ""));
    const at = String(from + 40);
    const ch = page.locator(`[data-testid="text-view"] span[data-o="${at}"]`);
    await ch.scrollIntoViewIfNeeded();
    await ch.tap();
    const inspector = page.getByTestId("inspector");
    await expect(inspector).toContainText(`offset ${Number(at).toLocaleString("en-US")}`);
    await expect(page.getByTestId("guesses").getByRole("listitem")).toHaveCount(5);
    // On screen without scrolling the page: a sheet along the bottom edge, under half the screen.
    const box = (await inspector.boundingBox())!;
    expect(box.y + box.height).toBeCloseTo(844, 0);
    expect(box.y).toBeGreaterThan(844 / 2);
    expect(box.width).toBeCloseTo(390, 0);
    const readout = page.getByTestId("strip-readout");
    await expect(readout.getByText(/tap a unit/)).toBeVisible();
    await expect(readout.getByText(/hover a unit/)).toBeHidden();
    // The tapped character is still in sight above the sheet.
    const c = (await ch.boundingBox())!;
    expect(c.y + c.height).toBeLessThanOrEqual(box.y);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    // Hide folds it down to its title.
    await inspector.getByRole("button", { name: "Hide" }).tap();
    await expect(page.getByTestId("guesses")).toBeHidden();
    expect((await inspector.boundingBox())!.height).toBeLessThan(100);
  });

  test("in the heat strip, a first tap names a unit and a second opens it", async ({ page }) => {
    await page.goto(cellUrl(UNIT, "?at=500"));
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    const strips = page.getByTestId("heat-strips");
    await expect(strips.locator("a[data-unit]")).toHaveCount(256);
    const target = strips.locator('a[data-unit="h:0:9"]');
    await target.tap();
    await expect(page.getByTestId("strip-readout")).toContainText("h:0:9");
    await expect(page).toHaveURL(/at=500$/);
    await expect(page).toHaveURL(new RegExp(`/cells/${UNIT.replace(/:/g, "(:|%3A)")}`));
    await target.tap();
    await expect(page).toHaveURL(/\/cells\/h(:|%3A)0(:|%3A)9\?at=500$/);
  });
});
