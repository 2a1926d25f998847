import { expect, test } from "@playwright/test";
import { cellUrl, MODEL } from "./helpers.ts";

test("every unit reads as something: its description on the cell page, and findable on the labels page", async ({ page, request }) => {
  // The first units of layer 1 with a description (made from the stored statistics: which ones is the model's business).
  let found: { unit: string; description: string } | null = null;
  for (let i = 0; i < 64 && !found; i++) {
    const u = (await (await request.get(`/api/models/${MODEL}/units/c:1:${i}?snippets=1`)).json()).unit;
    if (u.description && !u.constant && !u.label) found = { unit: u.unit, description: u.description };
  }
  expect(found).not.toBeNull();
  const { unit, description } = found!;
  await page.goto(cellUrl(unit, "?at=100"));
  await expect(page.getByTestId("unit-description")).toHaveText(`Reads as: ${description}`);
  // A phrase of it finds the unit among the unlabelled units described with it.
  const phrase = description.split(" (")[0].split("; ")[0];
  await page.goto(`/labels?q=${encodeURIComponent(phrase)}&model=${MODEL}`);
  await expect(page.getByTestId("described-summary")).toContainText(`described with “${phrase}”`);
  const entry = page.locator(`[data-testid="described-results"] [data-unit="${MODEL}/${unit}"]`);
  await expect(entry).toBeVisible();
  await expect(entry.getByTestId("entry-note")).toContainText(description);
  // And in the unit map's tooltip on the model page.
  await page.goto(`/models/${MODEL}`);
  await expect(page.locator(`a[data-unit="${unit}"]`)).toHaveAttribute("title", new RegExp(`^${unit} · ${description.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} · `));
});
