import { expect, test } from "@playwright/test";
import { MODEL } from "./helpers.ts";

test("sampling with units held: free and held side by side from the same seed, with what changed", async ({ page, request }) => {
  await page.goto(`/models/${MODEL}/sample?unit=c:1:5&length=300&seed=2&clamp=c:1:5=-1,h:0:3=0.9`);
  const pair = page.getByTestId("sample-side-by-side");
  await expect(pair).toContainText("Holding c:1:5=-1, h:0:3=0.9");
  const measures = pair.getByTestId("sample-measures");
  await expect(measures).toHaveCount(2, { timeout: 30_000 });
  const free = await page.getByTestId("sample-text").innerText();
  const held = await page.getByTestId("sample-text-held").innerText();
  expect(free).toHaveLength(300);
  expect(held).toHaveLength(300);
  expect(held).not.toBe(free);
  // Each text's mean loss under the free model, as POST …/run scores it after the sampler's "\n".
  for (const [text, id] of [[free, "sample-text"], [held, "sample-text-held"]]) {
    const r = await (await request.post(`/api/models/${MODEL}/run`, { data: { text, unit: "c:1:5", prime: "\n" } })).json();
    const box = pair.getByTestId(id).locator("xpath=..");
    await expect(box.getByTestId("sample-free-loss")).toHaveText(`${r.meanNats.toFixed(3)} nats/char`);
  }
  // The held unit is watched: every generated character shows it at its held value.
  const titles = await page.getByTestId("sample-text-held").locator("span").evaluateAll((els) => els.map((e) => e.getAttribute("title")));
  expect(new Set(titles)).toEqual(new Set(["c:1:5 -1.000"]));
  // The form keeps the clamp; the free text is the sample page's usual one for this seed.
  await expect(page.getByLabel("Hold units at (up to 4)")).toHaveValue("c:1:5=-1,h:0:3=0.9");
  await page.goto(`/models/${MODEL}/sample?unit=c:1:5&length=300&seed=2`);
  await expect(page.getByTestId("sample-status")).toContainText("300 characters generated", { timeout: 30_000 });
  expect(await page.getByTestId("sample-text").innerText()).toBe(free);
});

test("bad clamps are explained", async ({ page, request }) => {
  await page.goto(`/models/${MODEL}/sample?unit=c:1:5&clamp=c:9:1=0`);
  await expect(page.getByTestId("sample-form-error")).toContainText("layer 9 does not exist");
  const res = await request.get(`/api/models/${MODEL}/sample?unit=c:1:5&clamp=c:1:5`);
  expect(res.status()).toBe(400);
  expect((await res.json()).error).toMatchObject({ code: "bad_clamp", message: expect.stringContaining("write UNIT=VALUE") });
  const gate = await request.get(`/api/models/${MODEL}/sample?unit=c:1:5&clamp=i:0:1=0.5`);
  expect((await gate.json()).error.message).toMatch(/cannot hold i units|i:0:1/);
});
