/**
 * Where the cell page looks and what it offers (issue P12): it opens where the
 * unit changes most, previews show the unit on and off, constant units are
 * marked and skipped, "compare" offers the most correlated units, the scale
 * buttons don't claim a surprise-colored text, and a bad unit URL says what is
 * wrong. The fixture model's tanh(c) units are nearly all constant (pinned at
 * ±1): c:1:12 and c:1:63 are the two of layer 1 that move.
 */
import { expect, test, type Page } from "@playwright/test";
import { cssRgb, valueColor } from "../lib/ui/color.ts";
import { cellUrl, horizontalOverflow, MODEL, waitForHydration } from "./helpers.ts";

const num = (s: string) => Number(s.replace(/,/g, ""));

async function waitForLaidOut(page: Page) {
  await waitForHydration(page);
  await expect(page.getByTestId("text-view")).toHaveAttribute("data-mode", "virtual", { timeout: 15_000 });
}

test("without ?at= the cell page opens where the unit changes most, and says so", async ({ page, request }) => {
  await page.goto(cellUrl("c:1:12"));
  const note = page.getByTestId("opening-note");
  await expect(note).toContainText("where this unit changes most");
  const [, a, b] = (await note.innerText()).match(/offsets ([\d,]+)–([\d,]+)/)!;
  const start = num(a), end = num(b) + 1;
  expect(start).toBeGreaterThan(0);
  // The unit's values there span most of its range: its high and low values are both in view.
  const api = (await (await request.get(`/api/models/${MODEL}/units/c:1:12/activations?start=${start}&end=${end}`)).json()) as { values: number[] };
  expect(Math.max(...api.values) - Math.min(...api.values)).toBeGreaterThan(1);
  // The text opens on that stretch, before and after it is laid out.
  const view = page.getByTestId("text-view");
  // (The server's window marks only its start: data-chunk; laid-out rows mark every character: data-o.)
  await expect(view.locator(`span[data-chunk="${start}"] > span:first-child, span[data-o="${start}"]`)).toBeInViewport();
  await waitForLaidOut(page);
  await expect(view.locator(`span[data-o="${start}"]`)).toBeInViewport();
  // The row holding it is the first on screen.
  const range = Number((await page.getByTestId("text-range").innerText()).match(/characters ([\d,]+)/)![1].replace(/,/g, ""));
  expect(range).toBeLessThanOrEqual(start);
  expect(range).toBeGreaterThan(start - 200);
  // No character is selected; the start of the text is one click away.
  await expect(view.locator('span[aria-current="true"]')).toHaveCount(0);
  await note.getByRole("link", { name: "start of the text" }).click();
  await expect(page).toHaveURL(/\?at=0$/);
  await expect(page.getByTestId("opening-note")).toHaveCount(0);
  await expect(view.locator('span[data-o="0"]')).toBeInViewport();
});

test("links to a unit without an offset land on its telling stretch: none forces offset 0", async ({ page, request }) => {
  const label = `Contrast ${Date.now()}`;
  const url = `/api/models/${MODEL}/units/c:1:12/label`;
  expect((await request.put(url, { data: { label, note: "" } })).status()).toBe(200);
  try {
    for (const where of [`/models/${MODEL}`, `/labels?q=${encodeURIComponent(label)}`]) {
      await page.goto(where);
      const hrefs = await page.locator('a[href*="/cells/"]').evaluateAll((els) => els.map((e) => e.getAttribute("href")!));
      expect(hrefs.length, where).toBeGreaterThan(0);
      expect(hrefs.filter((h) => /[?&]at=0(&|$)/.test(h)), where).toEqual([]);
    }
    await page.getByTestId("entry-unit").click();
    await expect(page.getByTestId("cell-title")).toContainText("c:1:12");
    await expect(page.getByTestId("opening-note")).toContainText("where this unit changes most");
  } finally {
    await request.delete(url);
  }
});

test("a label's preview shows the unit on and off, not one color", async ({ page, request }) => {
  const label = `Preview ${Date.now()}`;
  const url = `/api/models/${MODEL}/units/c:1:12/label`;
  expect((await request.put(url, { data: { label, note: "" } })).status()).toBe(200);
  try {
    const api = await (await request.get(`/api/labels?q=${encodeURIComponent(label)}&model=${MODEL}`)).json();
    const values = api.matches[0].preview.values as number[];
    const lo = Math.min(...values), hi = Math.max(...values);
    expect(hi - lo).toBeGreaterThan(1);
    await page.goto(`/labels?q=${encodeURIComponent(label)}`);
    const colors = await page.getByTestId("snippet").first().locator("span").evaluateAll((els) => els.map((e) => (e as HTMLElement).style.backgroundColor));
    expect(colors).toHaveLength(values.length);
    // Both ends of its range are on screen, in their colors.
    expect(colors).toContain(cssRgb(valueColor(lo, "c", "rb")));
    expect(colors).toContain(cssRgb(valueColor(hi, "c", "rb")));
  } finally {
    await request.delete(url);
  }
});

test("a constant unit is marked; j / k skip constant units and J / K include them", async ({ page }) => {
  await page.goto(cellUrl("c:1:13"));
  await expect(page.getByTestId("constant-banner")).toContainText(/Constant at [+−]1\.00/);
  await expect(page.getByTestId("snippets-constant")).toContainText("does not move");
  await expect(page.getByTestId("top-snippets")).toHaveCount(0);
  await expect(page.getByTestId("opening-note")).toHaveCount(0);

  await page.goto(cellUrl("c:1:12", "?scale=cb"));
  await expect(page.getByTestId("constant-banner")).toHaveCount(0);
  await expect(page.getByTestId("next-unit")).toContainText("c:1:63");
  await waitForHydration(page);
  await page.keyboard.press("j");
  await expect(page).toHaveURL(/\/cells\/c(:|%3A)1(:|%3A)63\?scale=cb$/);
  await expect(page.getByTestId("cell-title")).toContainText("c:1:63");
  await expect(page.getByTestId("prev-unit")).toContainText("c:1:12");
  await waitForHydration(page);
  await page.keyboard.press("k");
  await expect(page).toHaveURL(/\/cells\/c(:|%3A)1(:|%3A)12\?scale=cb$/);
  await waitForHydration(page);
  await page.keyboard.press("Shift+J");
  await expect(page).toHaveURL(/\/cells\/c(:|%3A)1(:|%3A)13\?scale=cb$/);
  await expect(page.getByTestId("constant-banner")).toBeVisible();
});

test("compare offers the units most correlated with this one and keeps the selected character", async ({ page }) => {
  await page.goto(cellUrl("h:1:5", "?at=900"));
  const panel = page.getByTestId("correlated-units");
  await expect(panel.getByTestId("correlated-unit")).toHaveCount(5);
  const best = await panel.getByTestId("correlated-unit").allInnerTexts();
  // Not its index neighbours by default, nor its own cell (c:1:5).
  expect(best).not.toContain("c:1:5");
  const rs = (await panel.locator("li").allInnerTexts()).map((t) => Math.abs(Number(t.match(/r ([+−-]?\d\.\d+)/)![1].replace("−", "-"))));
  expect(rs).toEqual([...rs].sort((x, y) => y - x));
  await page.getByTestId("compare-correlated").click();
  await expect(page).toHaveURL(/\/compare\?/);
  const q = new URL(page.url()).searchParams;
  expect(q.get("units")).toBe(["h:1:5", best[0], best[1]].join(","));
  expect(q.get("sel")).toBe("900");
  expect(Number(q.get("at"))).toBeLessThanOrEqual(900);
  await expect(page.getByTestId("compare-rows").locator('span[aria-current="true"]').first()).toHaveAttribute("data-o", "900");
});

test("a character selected in the browser travels with the toolbar's links: next unit, colors, compare", async ({ page }) => {
  await page.goto(cellUrl("h:1:5", "?at=900"));
  await waitForHydration(page);
  // Selected without a new server render: the links rendered for ?at=900 follow the selection.
  await page.locator('[data-testid="text-view"] span[data-o="930"]').click();
  await expect(page).toHaveURL(/at=930/);
  await expect(page.getByTestId("next-unit")).toHaveAttribute("href", /at=930/);
  await expect(page.getByRole("link", { name: "by surprise" })).toHaveAttribute("href", /at=930/);
  await expect(page.getByTestId("compare-correlated")).toHaveAttribute("href", /sel=930/);
  await page.getByTestId("compare-correlated").click();
  await expect(page).toHaveURL(/\/compare\?/);
  const q = new URL(page.url()).searchParams;
  expect(q.get("sel")).toBe("930");
  expect(Number(q.get("at"))).toBeLessThanOrEqual(930);
});

test("in surprise mode the scale buttons don't claim the text", async ({ page }) => {
  await page.goto(cellUrl("h:1:5", "?at=10&color=surprise&scale=cb"));
  await expect(page.getByTestId("legend")).toContainText("surprise");
  await expect(page.getByRole("link", { name: "by surprise" })).toHaveAttribute("aria-current", "true");
  for (const name of ["red–blue", "orange–purple"]) await expect(page.getByRole("link", { name })).not.toHaveAttribute("aria-current", "true");
  await page.getByRole("link", { name: "by unit" }).click();
  await expect(page).toHaveURL(/scale=cb/);
  await expect(page.getByRole("link", { name: "orange–purple" })).toHaveAttribute("aria-current", "true");
});

test("a unit the model lacks is a 404 that says what is wrong", async ({ page }) => {
  for (const [unit, says] of [
    ["c:1:999", "index 999 does not exist (layers have 64 units, 0 to 63)"],
    ["c:5:1", "layer 5 does not exist (the model has 2 layers, 0 to 1)"],
    ["f:1:40", `kind "f" was not recorded (recorded: c,h); record the gates with: npx cellscope record --model ${MODEL} --gates`],
    ["banana", "is not a unit id"],
  ]) {
    expect((await page.goto(cellUrl(unit)))?.status(), unit).toBe(404);
    await expect(page.getByTestId("not-found-problem")).toContainText(says);
  }
  expect((await page.goto(`/models/nope/cells/c:0:0`))?.status()).toBe(404);
  await expect(page.getByTestId("not-found-problem")).toContainText(/unknown model "nope"/i);
  // Other missing pages keep the general message.
  expect((await page.goto(`/nothing-here`))?.status()).toBe(404);
  await expect(page.getByTestId("not-found-problem")).toHaveCount(0);
  await expect(page.getByText("There is no such model, unit or page")).toBeVisible();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });
  test("the opening note, the constant banner and the correlated units fit the screen", async ({ page }) => {
    for (const [unit, part] of [
      ["c:1:12", "opening-note"],
      ["c:1:13", "constant-banner"],
      ["h:1:5", "correlated-units"],
    ]) {
      await page.goto(cellUrl(unit));
      await page.getByTestId(part).scrollIntoViewIfNeeded();
      await expect(page.getByTestId(part)).toBeVisible();
      expect(await horizontalOverflow(page), unit).toBeLessThanOrEqual(0);
    }
  });
});
