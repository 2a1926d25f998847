/** Shared bits of the end-to-end tests (run against the fixture model, recorded by set-up). */
import { expect, type Page } from "@playwright/test";

export const MODEL = "warpeace-2x64";
/** A hidden-state unit: these vary from character to character in any trained model. */
export const UNIT = "h:1:5";

export const cellUrl = (unit = UNIT, query = "") => `/models/${MODEL}/cells/${unit}${query}`;

/** Waits until the page's client code is running (hover and keyboard work). */
export async function waitForHydration(page: Page) {
  await expect(page.getByTestId("text-view")).toBeVisible();
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
}

/** How far the page overflows the viewport horizontally (0 when it fits). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
