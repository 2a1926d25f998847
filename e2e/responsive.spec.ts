/** Every view at desktop (1280 px) and phone (390 px) widths: screenshots, and nothing wider than the screen. */
import { expect, test } from "@playwright/test";
import { cellUrl, horizontalOverflow, MODEL, UNIT } from "./helpers.ts";

const views = [
  ["home", "/"],
  ["model", `/models/${MODEL}`],
  ["cell", cellUrl(UNIT, "?at=700")],
  ["search", `/models/${MODEL}/search?q=${encodeURIComponent('"[^"\\n]*"')}`],
] as const;

for (const width of [1280, 390]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: width > 500 ? 900 : 844 } });
    for (const [name, url] of views) {
      test(`${name} fits and renders`, async ({ page }, info) => {
        const res = await page.goto(url);
        expect(res?.status()).toBe(200);
        await page.waitForLoadState("networkidle");
        await page.screenshot({ path: info.outputPath(`${name}-${width}.png`), fullPage: true });
        await page.screenshot({ path: `test-results/screenshots/${name}-${width}.png`, fullPage: false });
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      });
    }
  });
}
