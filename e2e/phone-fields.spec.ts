/**
 * The views with forms on a 390×844 phone: nothing sideways, and every field
 * on screen and wide enough to tap and read what was typed (the sample page's
 * prime field was once 65 px wide).
 */
import { expect, test } from "@playwright/test";
import { horizontalOverflow, MODEL } from "./helpers.ts";

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

/** Text fields at least this wide, number fields NUMBER_MIN, pickers (selects, sized by their options) a thumb's CHOICE_MIN; every field at least HEIGHT_MIN tall. */
const TEXT_MIN = 150;
const NUMBER_MIN = 64;
const CHOICE_MIN = 44;
const HEIGHT_MIN = 28;

let slug = "";
test.beforeAll(async ({ request }) => {
  const created = await request.post("/api/collections", { data: { title: `Phone ${Date.now()}`, items: [{ model: MODEL, unit: "h:1:5", note: "a note" }] } });
  slug = (await created.json()).collection.slug;
});

/** Each view, and whether it has form fields to measure (a collection's page has only buttons until one is pressed). */
const views: [name: string, url: () => string, fields?: false][] = [
  ["search", () => `/models/${MODEL}/search?q=${encodeURIComponent('"[^"\\n]*"')}&mode=depth&close=x`],
  ["signal search", () => `/models/${MODEL}/search?signal=inside_quotes&from=10&to=9000`],
  ["sample", () => `/models/${MODEL}/sample?unit=h:1:5&length=20&seed=2`],
  ["compare", () => `/models/${MODEL}/compare?units=h:1:4,h:1:5&at=300&sel=320`],
  ["labels", () => "/labels?q=quote"],
  ["collections", () => "/collections"],
  ["a collection", () => `/collections/${slug}`, false],
];

for (const [name, url, hasFields] of views) {
  test(`${name}: fits a phone, every field usable`, async ({ page }) => {
    expect((await page.goto(url()))?.status()).toBe(200);
    await page.waitForLoadState("networkidle");
    // Open folded parts (the search's "Only part of the text") so their fields are measured too.
    const folded = page.locator("main details:not([open]) > summary");
    while ((await folded.count()) > 0) await folded.first().click();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    const fields = await page.locator("main input:not([type=hidden]), main select, main textarea").evaluateAll((els) =>
      els
        .filter((e) => (e as HTMLElement).offsetParent !== null)
        .map((e) => {
          const r = e.getBoundingClientRect();
          const el = e as HTMLInputElement;
          const kind = e.tagName === "SELECT" ? "choice" : e.tagName === "TEXTAREA" ? "text" : el.type === "number" ? "number" : el.type === "checkbox" || el.type === "radio" ? "check" : "text";
          return { name: el.name || el.id, kind, left: r.left, right: r.right, width: r.width, height: r.height };
        }),
    );
    if (hasFields !== false) expect(fields.length, "fields found").toBeGreaterThan(0);
    for (const f of fields) {
      expect(f.left, `${f.name} starts on screen`).toBeGreaterThanOrEqual(0);
      expect(f.right, `${f.name} ends on screen`).toBeLessThanOrEqual(390);
      if (f.kind === "check") continue;
      expect(f.width, `${f.name} width`).toBeGreaterThanOrEqual(f.kind === "number" ? NUMBER_MIN : f.kind === "choice" ? CHOICE_MIN : TEXT_MIN);
      expect(f.height, `${f.name} height`).toBeGreaterThanOrEqual(HEIGHT_MIN);
    }
  });
}

test("the sample page's prime field spans the form on a phone", async ({ page }) => {
  await page.goto(`/models/${MODEL}/sample?unit=h:1:5&length=20&seed=2`);
  const form = await page.locator("main form").boundingBox();
  const prime = await page.getByRole("textbox", { name: "Prime text" }).boundingBox();
  expect(prime!.width).toBeGreaterThan(0.8 * form!.width);
});
