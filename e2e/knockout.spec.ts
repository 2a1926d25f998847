import { expect, test } from "@playwright/test";
import { cellUrl, MODEL, UNIT } from "./helpers.ts";

test("a cell's knock-out map: the text colored by the change in loss, the totals, and where the unit helped", async ({ page, request }) => {
  await page.goto(cellUrl(UNIT, "?at=900"));
  await page.getByTestId("knockout-link").click();
  await expect(page).toHaveURL(new RegExp(`/cells/${UNIT.replace(/:/g, "(:|%3A)")}/knockout\\?from=400&to=3400$`));
  const map = page.getByTestId("knockout-map");
  await expect(map).toBeVisible({ timeout: 30_000 });
  // One span per character, most of them colored (a change of exactly 0 is white).
  const spans = map.locator("span");
  await expect(spans).toHaveCount(3000);
  const summary = page.getByTestId("knockout-summary");
  await expect(summary).toContainText("held at +0.000");
  // The page's numbers are the API's.
  const api = await (await request.get(`/api/models/${MODEL}/units/${UNIT}/knockout?from=400&to=3400`)).json();
  await expect(page.getByTestId("knockout-change")).toContainText(`(${api.total >= 0 ? "+" : "−"}${Math.abs(api.total).toFixed(1)} nats in all)`);
  const top = api.helped[0];
  await expect(spans.nth(top.offset - 400)).toHaveAttribute("title", `${top.offset}: +${top.delta.toFixed(3)} nats`);
  // The character it helped most links to the cell page there.
  await page.getByTestId("knockout-helped").getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`\\?at=${top.offset}$`));
});

test("holding at the mean is a permalink of its own, and bad settings are explained", async ({ page }) => {
  await page.goto(`/models/${MODEL}/cells/${UNIT}/knockout?from=100&to=600&value=mean`);
  await expect(page.getByTestId("knockout-map").locator("span")).toHaveCount(500, { timeout: 30_000 });
  await expect(page.getByTestId("knockout-summary")).not.toContainText("held at +0.000");
  await page.goto(`/models/${MODEL}/cells/${UNIT}/knockout?from=100&to=90000`);
  await expect(page.getByTestId("knockout-problem")).toContainText("at most 20000 at a time");
  await page.goto(`/models/${MODEL}/cells/${UNIT}/knockout?value=7`);
  await expect(page.getByTestId("view-problem")).toContainText("value must be between −1 and 1");
});
