/**
 * Collections and labels in the browser: a collection made from two cell
 * pages, opened from its permalink in a fresh page; label search; labels
 * where units appear; the write API's refusals (read-only mode is tested in
 * lib/collections/collections.test.ts: this server is writable).
 */
import { expect, test, type APIResponse } from "@playwright/test";
import { cellUrl, horizontalOverflow, MODEL, waitForHydration } from "./helpers.ts";

async function expectError(res: APIResponse, status: number, code: string, message: RegExp) {
  expect(res.status()).toBe(status);
  const body = await res.json();
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error).toMatchObject({ code });
  expect(body.error.message).toMatch(message);
}

test("a collection made from two cell pages opens from its permalink with both units, their notes and previews", async ({ page, browser }) => {
  // Markup in the title and notes must show as typed, never run.
  const title = `Famous <b>two</b> ${Date.now()}`;
  const note1 = "ends lines <img src=x onerror=\"window.__pwned=1\">";
  const note2 = "second <script>window.__pwned=2</script> note";

  await page.goto(cellUrl("h:1:3"));
  await waitForHydration(page);
  const panel = page.getByTestId("unit-collections");
  await panel.getByTestId("add-to-collection").click();
  const select = panel.getByTestId("collection-select");
  await expect(select).toBeFocused();
  await select.selectOption({ label: "New collection…" });
  await panel.getByRole("textbox", { name: "Title of the new collection" }).fill(title);
  await panel.getByRole("textbox", { name: /Note/ }).fill(note1);
  await panel.getByRole("button", { name: "Add", exact: true }).click();
  const added = panel.getByTestId("collection-added");
  await expect(added).toContainText(`Added to ${title}`);
  // The page refreshes: the unit now lists its collection with the note.
  await expect(panel.getByRole("listitem")).toContainText(title);
  await expect(panel.getByRole("listitem")).toContainText(note1);
  const href = await added.getByRole("link").getAttribute("href");
  expect(href).toMatch(/^\/collections\/famous-b-two-b-\d+$/);

  // The second unit, by keyboard: the button, the select (focused), the note, Add.
  await page.goto(cellUrl("h:0:7"));
  await waitForHydration(page);
  await panel.getByTestId("add-to-collection").focus();
  await page.keyboard.press("Enter");
  await expect(select).toBeFocused();
  await select.selectOption({ label: title });
  await page.keyboard.press("Tab");
  await expect(panel.getByRole("textbox", { name: /Note/ })).toBeFocused();
  await page.keyboard.type(note2);
  await page.keyboard.press("Tab");
  await expect(panel.getByRole("button", { name: "Add", exact: true })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(added).toContainText(`Added to ${title}`);

  // A fresh browser context: nothing carried over but the link.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const res = await other.goto(href!);
  expect(res?.status()).toBe(200);
  await expect(other).toHaveTitle(`${title} · collection · Cellscope`);
  const h1 = other.getByTestId("collection-title");
  await expect(h1).toHaveText(title);
  await expect(h1.locator("b")).toHaveCount(0);
  const entries = other.getByTestId("unit-entry");
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0).getByTestId("entry-unit")).toHaveText("h:1:3");
  await expect(entries.nth(0).getByTestId("entry-note")).toHaveText(note1);
  await expect(entries.nth(1).getByTestId("entry-unit")).toHaveText("h:0:7");
  await expect(entries.nth(1).getByTestId("entry-note")).toHaveText(note2);
  expect(await other.locator("#main img, #main script").count()).toBe(0);
  expect(await other.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  for (const i of [0, 1]) {
    const snippet = entries.nth(i).getByTestId("snippet");
    await expect(snippet).toBeVisible();
    // Colored character by character, the peak marked.
    const colors = await snippet.locator("span").evaluateAll((els) => new Set(els.map((e) => (e as HTMLElement).style.backgroundColor).filter(Boolean)).size);
    expect(colors).toBeGreaterThan(3);
    await expect(snippet.locator(".m")).toHaveCount(1);
  }
  await expect(other.getByTestId("copy-link")).toBeVisible();
  // Each unit links to its cell page, the preview at its peak.
  await entries.nth(1).getByRole("link", { name: /h:0:7 of .* at its peak/ }).click();
  await expect(other).toHaveURL(new RegExp(`/models/${MODEL}/cells/h(:|%3A)0(:|%3A)7\\?at=\\d+$`));
  await fresh.close();

  // Listed on /collections.
  await page.goto("/collections");
  await expect(page.getByTestId("collections-list").getByRole("link", { name: title })).toHaveAttribute("href", href!);
});

test("a collection's note can be changed and a unit removed on its page", async ({ page, request }) => {
  const created = await request.post("/api/collections", { data: { title: `Edit me ${Date.now()}`, items: [{ model: MODEL, unit: "h:1:10", note: "old" }, { model: MODEL, unit: "h:1:11" }] } });
  expect(created.status()).toBe(201);
  const { slug } = (await created.json()).collection;
  await page.goto(`/collections/${slug}`);
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  await page.getByRole("button", { name: "Edit the note on h:1:10" }).click();
  await page.getByRole("textbox", { name: "Note" }).fill("new note");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("entry-note")).toHaveText("new note");
  await page.getByRole("button", { name: "Remove h:1:11 from the collection" }).click();
  await expect(page.getByTestId("unit-entry")).toHaveCount(1);
  expect((await (await request.get(`/api/collections/${slug}?previews=0`)).json()).collection.items.map((i: { unit: string }) => i.unit)).toEqual(["h:1:10"]);
});

test("the collections API refuses bad input and other origins in the one error shape", async ({ request }) => {
  await expectError(await request.post("/api/collections", { data: { title: "x" }, headers: { origin: "http://evil.example" } }), 403, "forbidden", /not from this server/);
  await expectError(await request.post("/api/collections", { data: { title: " " } }), 400, "bad_request", /title is empty/);
  await expectError(await request.post("/api/collections", { data: { title: "x", items: [{ model: MODEL, unit: "h:9:0" }] } }), 404, "not_found", /layer 9 does not exist/);
  await expectError(await request.get("/api/collections/no-such-thing"), 404, "not_found", /no collection "no-such-thing"/);
  await expectError(await request.put(`/api/collections/no-such-thing/items/${MODEL}/h:1:1`, { data: { note: "" } }), 404, "not_found", /no collection/);
  await expectError(await request.get("/api/collections/BAD_slug"), 400, "bad_request", /lower-case letters/);
  expect((await request.get("/collections/no-such-thing")).status()).toBe(404);
});

test("units are found by label, and labels show where units appear", async ({ page, request }) => {
  const label = `Quote-ish ${Date.now()}`;
  const url = `/api/models/${MODEL}/units/h:1:20/label`;
  expect((await request.put(url, { data: { label, note: "maybe quotes" } })).status()).toBe(200);
  try {
    await page.goto("/");
    await page.getByLabel("Find units by label or note").fill(label.toUpperCase());
    await page.getByRole("button", { name: "Find" }).click();
    await expect(page).toHaveURL(/\/labels\?q=/);
    const results = page.getByTestId("label-results").getByTestId("unit-entry");
    await expect(results).toHaveCount(1);
    await expect(results.getByTestId("entry-label")).toHaveText(label);
    await expect(results.getByTestId("entry-note")).toHaveText("maybe quotes");
    await expect(results.getByTestId("snippet")).toBeVisible();

    const api = await (await request.get(`/api/labels?q=${encodeURIComponent("MAYBE QUOTES")}&model=${MODEL}&previews=0`)).json();
    expect(api.matches.map((m: { unit: string }) => m.unit)).toEqual(["h:1:20"]);

    await page.goto(`/models/${MODEL}/compare?units=h:1:19,h:1:20`);
    await expect(page.getByTestId("compare-label")).toHaveText(label);
    await page.goto(`/models/${MODEL}`);
    await expect(page.locator('a[data-unit="h:1:20"]')).toHaveAttribute("title", new RegExp(label));
  } finally {
    await request.delete(url);
  }
});

for (const width of [390, 1280]) {
  test(`collection, collections and labels pages fit at ${width} px`, async ({ page, request }) => {
    await page.setViewportSize({ width, height: 844 });
    const created = await request.post("/api/collections", {
      data: { title: `A rather long title for a collection of units, to see it wrap ${Date.now()}`, description: "x ".repeat(200), items: [{ model: MODEL, unit: "c:1:5", note: "a long note ".repeat(30) }] },
    });
    const { slug } = (await created.json()).collection;
    const views = { collection: `/collections/${slug}`, collections: "/collections", labels: "/labels", "cell-collections": cellUrl("c:1:5") };
    for (const [name, path] of Object.entries(views)) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      if (name === "cell-collections") await page.getByTestId("unit-collections").scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test-results/screenshots/${name}-${width}.png` });
      expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
    }
  });
}
