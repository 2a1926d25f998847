/** The color legend on every view that colors text by units (the cell and sample pages have theirs: cell.spec, sample.spec). */
import { expect, test } from "@playwright/test";
import { MODEL } from "./helpers.ts";

const RB = "Color legend: −1 red, 0 white, +1 blue";
const CB = "Color legend: −1 orange, 0 white, +1 purple";

test("compare shows the legend of its units, in the scale asked for", async ({ page }) => {
  await page.goto(`/models/${MODEL}/compare?units=h:1:4,c:1:12&at=300`);
  await expect(page.getByTestId("legends").getByTestId("legend")).toHaveAttribute("aria-label", RB);
  await page.goto(`/models/${MODEL}/compare?units=h:1:4,c:1:12&at=300&scale=cb`);
  await expect(page.getByTestId("legends").getByTestId("legend")).toHaveAttribute("aria-label", CB);
});

test("the labels and collection pages show the legend above their colored previews", async ({ page, request }) => {
  const tag = `legend-${Date.now()}`;
  expect((await request.put(`/api/models/${MODEL}/units/h:0:40/label`, { data: { label: tag, note: "" } })).status()).toBe(200);
  await page.goto(`/labels?q=${tag}`);
  await expect(page.getByTestId("label-results").getByRole("listitem")).toHaveCount(1);
  await expect(page.getByTestId("legends").getByTestId("legend")).toHaveAttribute("aria-label", RB);

  const created = await request.post("/api/collections", { data: { title: `Legend ${tag}`, items: [{ model: MODEL, unit: "h:0:40" }, { model: MODEL, unit: "c:1:12" }] } });
  expect(created.status()).toBe(201);
  const { collection } = await created.json();
  await page.goto(`/collections/${collection.slug}?scale=cb`);
  await expect(page.getByTestId("collection-items").getByRole("listitem")).toHaveCount(2);
  // c and h share one range (−1 … +1): one legend.
  await expect(page.getByTestId("legends").getByTestId("legend")).toHaveCount(1);
  await expect(page.getByTestId("legends").getByTestId("legend")).toHaveAttribute("aria-label", CB);
});
