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
