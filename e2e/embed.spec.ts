import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { cellUrl, MODEL, UNIT } from "./helpers.ts";

test("a cell view embeds in another site's page, and its stretch downloads as HTML, SVG and CSV", async ({ page, request, baseURL }) => {
  await page.goto(cellUrl(UNIT, "?at=1200"));
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  await page.getByTestId("embed-menu").locator("summary").click();
  const snippet = await page.getByTestId("embed-snippet").inputValue();
  const m = snippet.match(/<iframe src="([^"]+)"/);
  expect(m).not.toBeNull();
  const src = m![1];
  expect(src).toMatch(new RegExp(`^${baseURL}/embed/models/${MODEL}/cells/${UNIT}\\?from=\\d+&to=\\d+$`));
  const [from, to] = [...src.matchAll(/(?:from|to)=(\d+)/g)].map((x) => Number(x[1]));

  // Another site's page frames it: a server of its own, on another port (another origin).
  const blog = createServer((_, res) => res.writeHead(200, { "content-type": "text/html" }).end(`<h1>My blog</h1>${snippet}`));
  await new Promise<void>((r) => blog.listen(0, "127.0.0.1", r));
  await page.goto(`http://127.0.0.1:${(blog.address() as AddressInfo).port}/`);
  const framed = page.frameLocator("iframe").getByTestId("standalone-text");
  await expect(framed.locator("span")).toHaveCount(to - from);
  blog.close();
  // The explorer's own pages still refuse to be framed.
  const own = await request.get(cellUrl(UNIT));
  expect(own.headers()["x-frame-options"]).toBe("DENY");
  const embed = await request.get(src);
  expect(embed.headers()["x-frame-options"]).toBeUndefined();
  expect(embed.headers()["content-security-policy"] ?? "frame-ancestors *").toContain("frame-ancestors *");

  // Downloads: the same stretch as a self-contained file, as SVG, and the values as CSV.
  await page.goto(cellUrl(UNIT, "?at=1200"));
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  await page.getByTestId("embed-menu").locator("summary").click();
  const [html] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-html").click()]);
  expect(html.suggestedFilename()).toBe(`${MODEL}-${UNIT.replace(/:/g, "-")}-${from}-${to}.html`);
  const file = readFileSync((await html.path())!, "utf8");
  expect(file).not.toMatch(/<script/i);
  expect(file.match(/<span title=/g)).toHaveLength(to - from);
  const [svg] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-svg").click()]);
  expect(readFileSync((await svg.path())!, "utf8")).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  const csv = await request.get(`/api/models/${MODEL}/units/${UNIT}/activations?start=${from}&end=${to}&format=csv`);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const json = await (await request.get(`/api/models/${MODEL}/units/${UNIT}/activations?start=${from}&end=${to}`)).json();
  const lines = (await csv.text()).split("\r\n");
  expect(lines[0]).toBe("offset,char,value");
  expect(lines[1]).toBe(`${from},${/[",\n]/.test(Array.from(json.text as string)[0]) ? lines[1].split(",")[1] : Array.from(json.text as string)[0]},${json.values[0]}`);
});

test("an embed with a bad stretch answers the API's error", async ({ request }) => {
  const r = await request.get(`/embed/models/${MODEL}/cells/${UNIT}?from=50&to=10`);
  expect(r.status()).toBe(400);
  expect((await r.json()).error.message).toMatch(/to must be greater than from/);
  const big = await request.get(`/embed/models/${MODEL}/cells/${UNIT}?from=0&to=9000`);
  expect((await big.json()).error.message).toMatch(/at most 5,000 characters/);
});

test("a search's ranking embeds too: the snippet from the search page, the units with r and colored previews", async ({ page, request }) => {
  await page.goto(`/models/${MODEL}/search?q=${encodeURIComponent('"[^"]*"')}`);
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  await page.getByTestId("embed-snippet-menu").locator("summary").click();
  const snippet = await page.getByTestId("embed-snippet").inputValue();
  const src = snippet.match(/<iframe src="([^"]+)"/)![1];
  expect(src).toContain(`/embed/models/${MODEL}/search?q=`);
  expect(src).toContain("limit=10");
  const html = await (await request.get(src)).text();
  expect(html).not.toMatch(/<script/i);
  const api = await (await request.get(`/api/models/${MODEL}/search?q=${encodeURIComponent('"[^"]*"')}&limit=10`)).json();
  const rows = [...html.matchAll(/<tr><td>(\d+)<\/td><td class="m">([^ <]+)/g)].map((m) => m[2]);
  expect(rows).toEqual(api.results.map((r: { unit: string }) => r.unit));
  const bad = await request.get(`/embed/models/${MODEL}/search?q=${encodeURIComponent("(")}`);
  expect(bad.status()).toBe(400);
});
