/**
 * /learn and /learn/hello: the "hello" RNN trains in the browser (float64, under
 * the app's CSP), its URL reproduces the exact numbers in a
 * fresh browser, and every link of the lecture's path answers.
 */
import { expect, test, type Page } from "@playwright/test";
import { horizontalOverflow } from "./helpers.ts";

/** A seed that predicts wrong at first and right after a hundred steps (lib/learn/hello-rnn.test.ts checks both in float64). */
const SEED = 40;

const trainer = (page: Page) => page.getByTestId("hello-rnn");

/** Waits until the page has trained up to `step`. */
async function readyAt(page: Page, step: number) {
  await expect(trainer(page)).toHaveAttribute("data-step", String(step), { timeout: 30_000 });
  await expect(trainer(page)).toHaveAttribute("data-phase", "ready");
}

/** The numbers the page shows: the loss, every weight, and the hidden states, scores and probabilities of every step. */
const shownNumbers = (page: Page) =>
  page.locator('[data-testid="hello-loss"], [data-testid^="weights-"] tbody td, [data-testid^="hidden-"] td, [data-testid^="score-"] td, [data-testid^="prob-"] td').allTextContents();

const predictions = (page: Page) => page.getByTestId("hello-predicted").evaluateAll((els) => els.map((e) => e.getAttribute("data-correct")));

test("hello: from a seed, training in the page reaches e, l, l, o at all four steps; the URL carries seed and step and reproduces the numbers", async ({ page, browser }) => {
  // The app's CSP allows no eval: the page's training must run without one.
  const problems: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text()) || m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));

  await page.goto(`/learn/hello?seed=${SEED}&step=0`);
  await readyAt(page, 0);
  await expect(page.getByTestId("hello-target")).toHaveText(["e", "l", "l", "o"]);
  // The three matrices, as grids of their numbers: 3 × 4, 3 × 3, 4 × 3.
  for (const [id, cells] of [["Wxh", 12], ["Whh", 9], ["Why", 12]] as const) await expect(page.getByTestId(`weights-${id}`).locator("tbody td")).toHaveCount(cells);
  expect(await predictions(page)).toContain("false");
  const untrained = await shownNumbers(page);

  await page.getByRole("button", { name: "Take one step" }).click();
  await readyAt(page, 1);
  await expect(page).toHaveURL(new RegExp(`/learn/hello\\?seed=${SEED}&step=1$`));
  expect(await shownNumbers(page)).not.toEqual(untrained);

  // "Train 100 steps" until every prediction is right, by keyboard (a few presses at most).
  const train = page.getByRole("button", { name: "Train 100 steps" });
  await train.focus();
  let step = 1;
  while ((await predictions(page)).includes("false")) {
    expect(step, "all four right within 500 steps").toBeLessThan(500);
    await page.keyboard.press("Enter");
    step += 100;
    await readyAt(page, step);
  }
  expect(await predictions(page)).toEqual(["true", "true", "true", "true"]);
  await expect(page.getByTestId("hello-predicted")).toHaveText(["e ✓right", "l ✓right", "l ✓right", "o ✓right"]);
  await expect(page).toHaveURL(new RegExp(`/learn/hello\\?seed=${SEED}&step=${step}$`));
  await expect(page.getByTestId("hello-status")).toContainText(`Seed ${SEED}, after ${step} steps`);
  const trained = await shownNumbers(page);

  // The same link in a fresh browser re-trains those steps and shows exactly the same numbers.
  const context = await browser.newContext();
  const fresh = await context.newPage();
  const res = await fresh.goto(page.url());
  expect(res?.status()).toBe(200);
  await readyAt(fresh, step);
  expect(await shownNumbers(fresh)).toEqual(trained);
  expect(await predictions(fresh)).toEqual(["true", "true", "true", "true"]);
  await context.close();

  // Reset goes back to the seed's initial weights.
  await page.getByRole("button", { name: "Reset" }).click();
  await readyAt(page, 0);
  await expect(page).toHaveURL(new RegExp(`/learn/hello\\?seed=${SEED}&step=0$`));
  expect(await shownNumbers(page)).toEqual(untrained);
  expect(problems).toEqual([]);
});

test("hello: an unreadable seed or step is explained, and another seed starts elsewhere", async ({ page }) => {
  await page.goto("/learn/hello?seed=abc&step=99999");
  await expect(page.getByTestId("hello-problem")).toContainText("?seed=abc: the seed must be a whole number");
  await expect(page.getByTestId("hello-problem")).toContainText("the step must be at most 10,000");
  await readyAt(page, 0);
  const first = await shownNumbers(page);
  await page.getByLabel("seed", { exact: true }).fill(String(SEED));
  await page.getByRole("button", { name: "Start over" }).click();
  await expect(page).toHaveURL(new RegExp(`/learn/hello\\?seed=${SEED}&step=0$`));
  await readyAt(page, 0);
  expect(await shownNumbers(page)).not.toEqual(first);
});

test("learn: the header links to it, every step links into a live view, and every link answers 200", async ({ page, request }) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "learn" }).click();
  await expect(page).toHaveURL(/\/learn$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The lecture, runnable");
  const steps = page.getByTestId("learn-step");
  await expect(steps).toHaveCount(6);
  for (const s of await steps.all()) expect(await s.getByRole("link").count(), (await s.locator("h2").textContent()) ?? "").toBeGreaterThan(0);
  // The fixture store has no Shakespeare model: the page says it is coming rather than linking nowhere.
  await expect(page.getByTestId("shakespeare-coming")).toBeVisible();
  // The famous cells are the home page's (the fixture's is the paragraph-start cell), each linked to its cell.
  await expect(page.getByTestId("famous-cells").getByRole("link", { name: /^[a-z]:\d+:\d+$/ }).first()).toBeVisible();

  const hrefs = [...new Set(await page.locator("main a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")!)))];
  expect(hrefs.length).toBeGreaterThan(5);
  for (const href of hrefs) expect((await request.get(href)).status(), href).toBe(200);

  await page.getByRole("link", { name: "after 100 steps" }).click();
  await readyAt(page, 100);
  expect(await predictions(page)).toHaveLength(4);
});

test("learn and hello fit a 390 px phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/learn");
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.goto(`/learn/hello?seed=${SEED}&step=0`);
  await readyAt(page, 0);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  for (const name of ["Take one step", "Train 100 steps", "Reset"]) {
    const box = (await page.getByRole("button", { name }).boundingBox())!;
    expect(box.x + box.width, name).toBeLessThanOrEqual(390);
  }
});
