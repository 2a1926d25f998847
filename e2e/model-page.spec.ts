/**
 * The model page beyond the basics (home.spec.ts): the unit map's statistic
 * switch (std, saturation, best built-in signal score), and the gate-saturation
 * scatter, which needs a recording with the gates: set-up records only c and
 * h, so this spec records the fixture's gates over a short slice with the CLI,
 * as a user would (the views keep showing the longer recording).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { MODEL } from "./helpers.ts";

const GATE_CHARS = 5000;

test("the unit map recolors by std, saturation and best signal score; each square names its value", async ({ page }) => {
  await page.goto(`/models/${MODEL}`);
  const squares = page.getByTestId("unit-map-c-1").getByRole("link");
  await expect(squares).toHaveCount(64);
  const colors = () => squares.evaluateAll((els) => els.map((e) => (e as HTMLElement).style.backgroundColor));
  await expect(page.getByRole("link", { name: "std", exact: true })).toHaveAttribute("aria-current", "true");
  const seen = [await colors()];
  for (const [stat, legend] of [
    ["satRight", "above 0.9"],
    ["signal", "strongest |r| against any built-in signal"],
  ] as const) {
    await page.getByRole("link", { name: stat, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`stat=${stat}`));
    await expect(page.getByRole("link", { name: stat, exact: true })).toHaveAttribute("aria-current", "true");
    await expect(page.getByTestId("map-legend")).toContainText(legend);
    await expect(page.getByTestId("unit-map-c-1").getByRole("list")).toHaveAccessibleName(`64 units colored by ${stat}`);
    const now = await colors();
    for (const before of seen) expect(now).not.toEqual(before);
    seen.push(now);
  }
  // Under ?stat=signal a square says which signal its unit tracks best, as the API does.
  const api = await (await page.request.get(`/api/models/${MODEL}/units?kind=c&layer=1`)).json();
  const best = api.units.reduce((a: { signal: number }, b: { signal: number }) => (b.signal > a.signal ? b : a));
  const square = page.locator(`[data-testid="unit-map-c-1"] a[data-unit="${best.unit}"]`);
  // Its id, its generated description (describe.spec.ts), then the statistic shown.
  await expect(square).toHaveAttribute("title", new RegExp(`^${best.unit} · .+ · signal ${best.signal.toFixed(3)} \\(${best.signalName}\\)$`));
  await square.click();
  await expect(page.getByTestId("cell-title")).toContainText(best.unit);
  await expect(page.getByTestId("signal-scores")).toContainText(best.signalName);
});

test("constant units are grey on every map, and each layer says how many are alive and how many tanh(c) are saturated", async ({ page, request }) => {
  const { units } = await (await request.get(`/api/models/${MODEL}/units`)).json();
  type U = { unit: string; kind: string; layer: number; std: number; mean: number };
  const constant = (units as U[]).filter((u) => u.std < 0.001);
  // The fixture has both: cells pinned at ±1, and units that move.
  expect(constant.length).toBeGreaterThan(0);
  expect(constant.length).toBeLessThan(units.length);
  for (const stat of ["std", "mean"]) {
    await page.goto(`/models/${MODEL}?stat=${stat}`);
    const grey = await page.locator("a[data-unit]").evaluateAll((els) => els.filter((e) => (e as HTMLElement).style.backgroundColor === "rgb(168, 162, 158)").map((e) => e.getAttribute("data-unit")));
    expect(grey.sort()).toEqual(constant.map((u) => u.unit).sort());
  }
  await expect(page.locator(`a[data-unit="${constant[0].unit}"]`)).toHaveAttribute("title", new RegExp(`^${constant[0].unit} · (.+ · )?constant, mean `));
  await expect(page.getByTestId("map-legend")).toContainText("grey: constant (std < 0.001)");
  for (const kind of ["c", "h"])
    for (const layer of [0, 1]) {
      const group = (units as U[]).filter((u) => u.kind === kind && u.layer === layer);
      const map = page.getByTestId(`unit-map-${kind}-${layer}`);
      await expect(map.getByTestId("alive-count")).toHaveText(`${group.filter((u) => u.std >= 0.001).length} of 64 alive`);
      if (kind === "h") await expect(map.getByTestId("saturated-count")).toHaveCount(0);
      else {
        const saturated = group.filter((u) => Math.abs(u.mean) > 0.99).length;
        await expect(map.getByTestId("saturated-count")).toHaveText(`${Math.round((100 * saturated) / 64)}% saturated (${saturated} with |mean| > 0.99)`);
      }
    }
});

test("the API serves what the model page draws, and checks its query", async ({ request }) => {
  const all = await (await request.get(`/api/models/${MODEL}/units`)).json();
  expect(all.units).toHaveLength(2 * 2 * 64);
  for (const u of all.units) {
    expect(u.signal).toBeGreaterThanOrEqual(0);
    expect(u.signal).toBeLessThanOrEqual(1);
  }
  expect(all.units.some((u: { signalName: string | null }) => u.signalName)).toBe(true);
  const h1 = await (await request.get(`/api/models/${MODEL}/units?kind=h&layer=1`)).json();
  expect(h1.units.map((u: { unit: string }) => u.unit)).toEqual(Array.from({ length: 64 }, (_, i) => `h:1:${i}`));
  for (const [q, message] of [
    ["kind=x", /kind must be one of c, h, i, f, o/],
    ["layer=-1", /layer must be a whole number/],
  ] as const) {
    const res = await request.get(`/api/models/${MODEL}/units?${q}`);
    expect(res.status()).toBe(400);
    const body = await res.json();
    expect(Object.keys(body)).toEqual(["error"]);
    expect(body.error.message).toMatch(message);
  }
  expect((await request.get("/api/models/nope/units")).status()).toBe(404);

  // A unit: what the cell page shows beside the text.
  const cell = await (await request.get(`/api/models/${MODEL}/units/h:1:5`)).json();
  expect(cell.snippets.top.length).toBeGreaterThan(0);
  expect(cell.snippets.bottom.length).toBeGreaterThan(0);
  expect(cell.signals.map((s: { signal: string }) => s.signal)).toContain("inside_quotes");
});

test("the gate-saturation scatter: how to get it, then one plot per layer from a recording with the gates", async ({ page, request }) => {
  test.setTimeout(120_000);
  const before = await (await request.get(`/api/models/${MODEL}/units`)).json();
  if (before.gates === null) {
    // Set-up doesn't record the gates: the page says so plainly, and how to.
    await page.goto(`/models/${MODEL}`);
    const empty = page.getByTestId("gates-empty");
    await expect(empty).toContainText("No gates recorded for this model yet");
    await expect(empty.locator("pre code")).toHaveText(`npx cellscope record --model ${MODEL} --gates --chars 50000`);
    await expect(page.getByTestId("saturation-plot-0")).toHaveCount(0);
    // Record them over a short slice, into the store this server reads (playwright.config.ts).
    await promisify(execFile)(
      process.execPath,
      ["bin/cellscope.js", "record", "--model", "e2e/fixtures/models/warpeace-2x64", "--gates", "--chars", String(GATE_CHARS), "--streams", "10", "--warmup", "100"],
      { env: { ...process.env, CELLSCOPE_DB: process.env.CELLSCOPE_E2E_DB ?? "data/e2e.db" } },
    );
  }
  const after = await (await request.get(`/api/models/${MODEL}/units`)).json();
  expect(after.gates.recording).toMatchObject({ chars: GATE_CHARS, shown: false });
  expect(after.gates.units).toHaveLength(3 * 2 * 64);

  await page.goto(`/models/${MODEL}`);
  for (const layer of [0, 1]) {
    const plot = page.getByTestId(`saturation-plot-${layer}`);
    await expect(plot).toBeVisible();
    await expect(plot.locator("circle[data-unit]")).toHaveCount(3 * 64);
    await expect(plot.locator(`circle[data-unit="f:${layer}:0"]`)).toHaveCount(1);
  }
  // Each dot sits at its gate's saturation fractions (left along x, right along y).
  const f = after.gates.units.find((u: { unit: string }) => u.unit === "f:1:0");
  const title = await page.locator('[data-testid="saturation-plot-1"] circle[data-unit="f:1:0"] title').textContent();
  expect(title).toBe(`f:1:0: left ${(f.satLeft * 100).toFixed(1)}%, right ${(f.satRight * 100).toFixed(1)}%`);
  // The shown recording has no gates: no cell pages to link to, and the page says where the dots come from.
  await expect(page.getByTestId("saturation-plot-1").locator("a")).toHaveCount(0);
  await expect(page.getByTestId("gates-empty")).toHaveCount(0);
  await expect(page.getByTestId("gate-source")).toContainText(`${GATE_CHARS.toLocaleString("en-US")} characters with the gates`);
  // The rest of the model still shows the longer recording's c and h.
  await expect(page.getByTestId("unit-map-h-1").getByRole("link")).toHaveCount(64);
  await expect(page.getByTestId("unit-map-f-1")).toHaveCount(0);
});

test("where lines end: the newline's probability by column, the same counts as the API, and bad queries refused", async ({ page, request }) => {
  const res = await request.get(`/api/models/${MODEL}/columns?width=10&last=80`);
  expect(res.status()).toBe(200);
  const data = await res.json();
  // Every scored character falls in exactly one bucket; War and Peace wraps near column 70, so newlines sit there.
  expect(data.buckets.reduce((a: number, b: { chars: number }) => a + b.chars, 0)).toBe(data.chars);
  const wrap = data.buckets.filter((b: { from: number }) => b.from >= 70).reduce((a: number, b: { targets: number }) => a + b.targets, 0);
  expect(wrap).toBeGreaterThan(0);
  // Split by the word-ending class: the two parts add up to each bucket's newline loss.
  const split = await (await request.get(`/api/models/${MODEL}/columns?width=10&last=80&given=${encodeURIComponent(" \n")}`)).json();
  expect(split.given).toBe(" \n");
  for (const b of split.buckets.filter((x: { targets: number }) => x.targets > 0)) {
    expect(b.classNats).toBeGreaterThanOrEqual(0);
    expect(b.classNats + b.givenNats).toBeCloseTo(b.targetNats, 9);
  }
  expect(split.buckets.map((b: { targets: number }) => b.targets)).toEqual(data.buckets.map((b: { targets: number }) => b.targets));

  await page.goto(`/models/${MODEL}`);
  const panel = page.getByTestId("columns");
  await expect(panel.getByTestId("column-chart")).toBeVisible();
  await expect(panel.getByTestId("column-chart").locator("rect")).toHaveCount(data.buckets.filter((b: { targets: number }) => b.targets > 0).length);
  await expect(panel.getByTestId("wrap-summary")).toContainText(`${wrap.toLocaleString("en-US")} newlines at column 70 or later`);
  await expect(panel.getByTestId("wrap-split")).toContainText(/Of each, \d\.\d\d nats is for not knowing the word ends there, and \d\.\d\d for a newline rather than a space/);

  for (const [q, code] of [["width=0", "bad_width"], ["width=abc", "bad_request"], ["last=5&width=10", "bad_width"], ["given=%20", "bad_target"]] as const) {
    const bad = await request.get(`/api/models/${MODEL}/columns?${q}`);
    expect(bad.status(), q).toBe(400);
    const body = await bad.json();
    expect(Object.keys(body)).toEqual(["error"]);
    if (code !== "bad_request") expect(body.error.code).toBe(code);
  }
});

test("the model's corpus links to its models compared: cell type, size, test loss, and each model's best unit per signal, linked to its cell page", async ({ page, request }) => {
  await page.goto(`/models/${MODEL}`);
  // A model trained before samples were kept says so where its samples would be.
  await expect(page.getByTestId("training-samples")).toContainText("trained before samples were kept");
  await page.getByRole("link", { name: "warpeace", exact: true }).first().click();
  await expect(page).toHaveURL(/\/corpora\/warpeace$/);
  const row = page.getByTestId("corpus-models").locator("tbody tr", { hasText: MODEL });
  await expect(row).toContainText("LSTM");
  await expect(row).toContainText("2 × 64");
  const model = await (await request.get(`/api/models/${MODEL}`)).json();
  await expect(row).toContainText(model.model.testNats.toFixed(3));
  // The quote signal's best unit links to its cell page.
  const quotes = page.getByTestId("corpus-detectors").locator("tbody tr", { hasText: "inside_quotes" });
  const unit = (await quotes.getByRole("link").first().textContent())!.split(" ")[0];
  expect(unit).toMatch(/^[ch]:[01]:\d+$/);
  await quotes.getByRole("link").first().click();
  await expect(page.getByTestId("cell-title")).toContainText(unit);
  expect((await page.goto("/corpora/nosuch"))?.status()).toBe(404);
});
