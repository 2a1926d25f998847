import { expect, test } from "@playwright/test";
import { MODEL } from "./helpers.ts";

const Q = encodeURIComponent("\\n");

test("the search page ranks units by their knock-out effect on request, with progress, as a permalink", async ({ page, request }) => {
  test.setTimeout(240_000); // the ranking itself takes seconds to a minute on a loaded machine
  await page.goto(`/models/${MODEL}/search?q=${Q}`);
  const panel = page.getByTestId("effect-ranking");
  await expect(panel.getByRole("heading", { name: "By effect: which units the model uses here" })).toBeVisible();
  await expect(panel.getByTestId("effect-row")).toHaveCount(0); // nothing runs until asked
  await panel.getByTestId("effect-start").click();
  await expect(page).toHaveURL(/[?&]rank=effect/);
  await expect(panel.getByTestId("effect-row")).toHaveCount(50, { timeout: 180_000 });
  // The first ten are measured, sorted by it; the page's numbers are the API's.
  // (Another web worker may answer: then it ranks again, to the same numbers.)
  const api = await (await request.get(`/api/models/${MODEL}/effect?q=${Q}`, { timeout: 180_000 })).json();
  const exact = api.units.filter((u: { exact: number | null }) => u.exact !== null);
  // Ten knocked out (an LSTM's c and h of one index at 0 are one knock-out, shown for both).
  expect(new Set(exact.map((u: { unit: string }) => u.unit.slice(u.unit.indexOf(":")))).size).toBe(10);
  await expect(panel.getByTestId("effect-unit").first()).toHaveText(exact[0].unit);
  await expect(panel.getByTestId("effect-exact").first()).toHaveText(`${exact[0].exact >= 0 ? "+" : "−"}${Math.abs(exact[0].exact).toFixed(3)}`);
  await expect(panel.getByTestId("effect-exact").nth(exact.length)).toHaveText("—");
  await expect(panel.getByTestId("effect-summary")).toContainText(`${api.marked.toLocaleString("en-US")} marked characters`);
  // The unit links to its cell page.
  await panel.getByTestId("effect-unit").first().click();
  await expect(page).toHaveURL(new RegExp(`/cells/${exact[0].unit.replace(/:/g, "(:|%3A)")}$`));
});

test("the effect API streams its progress, and refuses bad queries in the API's one error shape", async ({ request }) => {
  test.setTimeout(240_000);
  const r = await request.get(`/api/models/${MODEL}/effect?q=${encodeURIComponent("[aeiou]")}&mode=start&exact=2&limit=5&stream=1`, { timeout: 180_000 });
  expect(r.status()).toBe(200);
  expect(r.headers()["content-type"]).toContain("application/x-ndjson");
  const lines = (await r.text()).trim().split("\n").map((l) => JSON.parse(l));
  const progress = lines.filter((l) => l.progress).map((l) => l.progress.done);
  expect(progress.length).toBeGreaterThan(2);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
  const result = lines.at(-1).result;
  expect(result.units).toHaveLength(5);
  expect(result.units.slice(0, 2).every((u: { exact: number | null }) => u.exact !== null)).toBe(true);

  const depth = await request.get(`/api/models/${MODEL}/effect?q=${encodeURIComponent("\\(")}&mode=depth&close=${encodeURIComponent("\\)")}&stream=1`);
  expect(depth.status()).toBe(400);
  expect((await depth.json()).error).toMatchObject({ code: "bad_query", message: expect.stringContaining("on or off") });
  const many = await request.get(`/api/models/${MODEL}/effect?signal=inside_quotes&exact=99`);
  expect(many.status()).toBe(400);
  expect((await many.json()).error.message).toContain("exact must be at most 32");
});
