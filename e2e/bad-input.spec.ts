/**
 * Bad and hostile input against the running server: every refusal is a 4xx in
 * the one error shape with a message that says what to change, never a stack
 * trace, and nothing in the store changes. Limits: lib/api/limits.ts.
 */
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { MODEL } from "./helpers.ts";

const api = `/api/models/${MODEL}`;
/** A unit no other spec labels, so its label is this file's to check. */
const UNIT = "c:0:7";
const labelUrl = `${api}/units/${UNIT}/label`;

/** Nothing that looks like a stack trace or a server path. */
function expectNoInternals(text: string) {
  expect(text).not.toMatch(/\n\s+at |node_modules|\/work\/|\.ts:\d|SQLITE|prisma/i);
}

async function expectError(res: APIResponse, status: number, code: string, message: RegExp | string) {
  const text = await res.text();
  expect(res.status(), text).toBe(status);
  expectNoInternals(text);
  const body = JSON.parse(text);
  expect(Object.keys(body)).toEqual(["error"]);
  expect(Object.keys(body.error).sort()).toEqual(["code", "message"]);
  expect(body.error.code).toBe(code);
  if (typeof message === "string") expect(body.error.message).toBe(message);
  else expect(body.error.message).toMatch(message);
}

async function labelOf(request: APIRequestContext) {
  return (await (await request.get(`${api}/units/${UNIT}`)).json()).unit.label;
}

test.describe.configure({ mode: "serial" });

test("regular expressions: invalid, over-long, catastrophic, matching nothing or everything", async ({ request }) => {
  const search = (q: string, extra = "") => request.get(`${api}/search?q=${encodeURIComponent(q)}${extra}`);
  await expectError(await search("(ab"), 400, "invalid_pattern", /^invalid pattern: missing closing \)/);
  await expectError(await search("a{1001}"), 400, "invalid_pattern", /invalid repeat count/);
  await expectError(await search("x".repeat(501)), 400, "bad_query", "regex: the pattern is longer than 500 characters");
  await expectError(await search("\\(", `&mode=depth&close=${"x".repeat(501)}`), 400, "bad_query", /closing pattern is longer than 500/);
  await expectError(await search("a", "&limit=0"), 400, "bad_query", "limit must be at least 1");
  await expectError(await search("a", "&limit=lots"), 400, "bad_query", "limit must be a number");

  // Nested quantifiers: linear in re2js, so an answer, not a hang.
  for (const q of ["(a+)+$", "(\\w+\\s?)*$", "((a|aa)+)+b"]) {
    const res = await search(q);
    expect(res.status(), q).toBe(200);
    expect(Number.isFinite((await res.json()).tookMs)).toBe(true);
  }

  // Matching nothing, or every character: 200 with a plain explanation, no NaN scores.
  for (const [q, problem] of [
    ["zq{3}xj", /never on .*no matches/],
    ["[\\s\\S]", /on at every character/],
    ["^", /never on/],
  ] as const) {
    const res = await search(q);
    const text = await res.text();
    expect(res.status(), q).toBe(200);
    expect(text).not.toMatch(/NaN|null,"auc"/);
    const body = JSON.parse(text);
    expect(body.results).toEqual([]);
    expect(body.problem).toMatch(problem);
  }
});

test("a pattern too slow to match is stopped at the time limit, while the server keeps answering", async ({ request }) => {
  // Long counted repeats: about 20 s of matching over the fixture's recording without the limit.
  const slow = request.get(`${api}/search?q=${encodeURIComponent("[\\s\\S]{1000}[\\s\\S]{1000}[\\s\\S]{1000}e")}`);
  const order: string[] = [];
  const [res] = await Promise.all([
    slow.then((r) => (order.push("slow"), r)),
    new Promise((r) => setTimeout(r, 300))
      .then(() => request.get("/api/health"))
      .then((r) => (order.push(`health ${r.status()}`), r)),
  ]);
  await expectError(res, 400, "pattern_too_slow", /^the pattern took longer than 3 s to match over this recording's [\d,]+ characters and was stopped: simplify it/);
  // The match ran off the server's thread: health answered first.
  expect(order).toEqual(["health 200", "slow"]);
});

test("query strings over the limit are refused, by the app (414) or by Node itself (431)", async ({ request }) => {
  await expectError(await request.get(`${api}/search?q=a&pad=${"x".repeat(10_500)}`), 414, "query_too_long", /^the query string is 10\d{3} characters long; the limit is 10000$/);
  await expectError(await request.get(`${api}/units/h:1:5/activations?start=0&pad=${"x".repeat(10_500)}`), 414, "query_too_long", /limit is 10000/);
  const huge = await request.get(`${api}/search?q=${"x".repeat(40_000)}`);
  expect(huge.status()).toBe(431);
  expectNoInternals(await huge.text());
});

test("model and unit ids that are paths, SQL or markup are refused on every route, and the store is intact", async ({ request }) => {
  const before = await (await request.get("/api/models")).json();
  const hostile = ["..%2F..%2Fetc%2Fpasswd", "..%252F..%252Fetc%252Fpasswd", "1%20OR%201%3D1", "'%3B%20DROP%20TABLE%20Unit%3B--", "%3Cscript%3E", "x".repeat(120)];
  const modelRoutes = (m: string) => [
    `/api/models/${m}`,
    `/api/models/${m}/search?q=a`,
    `/api/models/${m}/inspect?at=1`,
    `/api/models/${m}/sample?unit=h:1:5&length=5`,
    `/api/models/${m}/units/h:1:5`,
    `/api/models/${m}/units/h:1:5/activations?start=0&end=10`,
  ];
  for (const id of hostile) {
    for (const url of modelRoutes(id)) await expectError(await request.get(url), 400, "bad_model", /is not a model id \(letters, digits, "\.", "_" and "-"/);
    await expectError(await request.put(`/api/models/${id}/units/h:1:5/label`, { data: { label: "x" } }), 400, "bad_model", /is not a model id/);
    await expectError(await request.delete(`/api/models/${id}/units/h:1:5/label`), 400, "bad_model", /is not a model id/);
  }
  for (const id of [...hostile, "c:1", "c:1:2:3", "q:0:0"]) {
    for (const url of [`${api}/units/${id}`, `${api}/units/${id}/activations?start=0`]) await expectError(await request.get(url), 400, "bad_unit", /is not a unit id: write KIND:LAYER:INDEX/);
    await expectError(await request.put(`${api}/units/${id}/label`, { data: { label: "x" } }), 400, "bad_unit", /is not a unit id/);
    await expectError(await request.get(`${api}/sample?unit=${id}&length=5`), 400, "bad_unit", /is not a unit id/);
  }
  // Traversal that the URL itself resolves ("/api/models/../../etc/passwd" is "/etc/passwd"): no such page.
  const resolved = await request.get(`/api/models/../../etc/passwd`);
  expect(resolved.status()).toBe(404);
  expect(await resolved.text()).not.toMatch(/root:x:0/);

  // Well-formed but unknown: 404.
  await expectError(await request.get("/api/models/no-such-model/units/h:1:5"), 404, "not_found", 'unknown model "no-such-model"');
  await expectError(await request.get(`${api}/units/c:9:0`), 404, "not_found", /layer 9 does not exist \(the model has 2 layers, 0 to 1\)/);
  await expectError(await request.get(`${api}/units/h:0:64`), 404, "not_found", /index 64 does not exist \(layers have 64 units, 0 to 63\)/);
  await expectError(await request.get(`${api}/units/i:0:0`), 404, "not_found", /kind "i" was not recorded/);

  expect(await (await request.get("/api/models")).json()).toEqual(before);
  expect((await (await request.get(`${api}/units/h:1:5`)).json()).unit.unit).toBe("h:1:5");
});

test("offsets that are negative, fractional, not numbers or past the end; ranges over the limit", async ({ request }) => {
  const acts = (q: string) => request.get(`${api}/units/h:1:5/activations?${q}`);
  await expectError(await acts("start=-1"), 400, "bad_request", "start cannot be negative");
  await expectError(await acts("start=1.5"), 400, "bad_request", "start must be a whole number of characters");
  await expectError(await acts("start=0x10"), 400, "bad_request", "start must be a whole number of characters");
  await expectError(await acts("start=1e3"), 400, "bad_request", "start must be a whole number of characters");
  await expectError(await acts("start=99999999999999999999"), 400, "bad_request", "start is too large");
  await expectError(await acts("start=100&end=50"), 400, "bad_offset", "end must be a whole number greater than start (100)");
  await expectError(await acts("start=0&end=20001"), 400, "range_too_large", "the range 0–20001 is 20001 characters; ask for at most 20000 at a time");
  await expectError(await acts("start=0&surprise=maybe"), 400, "bad_request", "surprise must be 1 or 0");
  await expectError(await acts("start=999999999"), 404, "not_found", /^offset 999999999 is past the end of the recording \(\d+ characters/);
  const full = await (await acts("start=0&end=20000")).json();
  expect(full.values).toHaveLength(20000);

  await expectError(await request.get(`${api}/inspect?at=-3`), 400, "bad_request", "at cannot be negative");
  await expectError(await request.get(`${api}/inspect?at=abc`), 400, "bad_request", "at must be a whole number of characters");
  await expectError(await request.get(`${api}/inspect?at=`), 400, "bad_request", "at must be a whole number of characters");
  await expectError(await request.get(`${api}/inspect?at=999999999`), 404, "not_found", /past the end/);

  await expectError(await request.get(`${api}/sample?unit=h:1:5&length=2001`), 400, "bad_request", "length must be at most 2000");
  await expectError(await request.get(`${api}/sample?unit=h:1:5&length=-1`), 400, "bad_request", "length must be at least 1");
  await expectError(await request.get(`${api}/sample?unit=h:1:5&temperature=hot`), 400, "bad_request", "temperature must be a number");
  await expectError(await request.get(`${api}/sample?unit=h:1:5&prime=${"p".repeat(501)}`), 400, "bad_request", "prime: the prime text must be at most 500 characters");
  // Several bad parameters: one message lists them all, so they can be fixed in one go.
  await expectError(
    await request.get(`${api}/sample?unit=banana&length=2001&temperature=hot&seed=-3&prime=${encodeURIComponent("€")}`),
    400,
    "bad_request",
    /^5 problems: length must be at most 2000; temperature must be a number; seed cannot be negative; "banana" is not a unit id.*; prime: .*not in the model's vocabulary/,
  );
  await expectError(await request.get(`${api}/sample?unit=h:9:5&length=0`), 400, "bad_request", /^2 problems: length must be at least 1; .*layer 9 does not exist/);
});

test("label writes: wrong content types, malformed or oversized bodies and bad fields are refused, and the label is unchanged", async ({ request }) => {
  const ok = await request.put(labelUrl, { data: { label: "baseline", note: "kept" } });
  expect(ok.status()).toBe(200);
  const baseline = await labelOf(request);
  expect(baseline).toMatchObject({ label: "baseline", note: "kept" });

  const send = (body: string | Buffer, contentType?: string, method: "put" | "post" = "put") =>
    // Bytes as given (Playwright would JSON-encode a string sent as application/json).
    request[method](labelUrl, { data: Buffer.from(body), headers: contentType ? { "content-type": contentType } : {} });
  for (const method of ["put", "post"] as const) {
    await expectError(await send('{"label":"x"}', "text/plain", method), 415, "unsupported_media_type", /^send the body as JSON with "Content-Type: application\/json" \(got "text\/plain"\)/);
    await expectError(await send("label=x", "application/x-www-form-urlencoded", method), 415, "unsupported_media_type", /Content-Type: application\/json/);
    await expectError(await send('{"label": "x"', "application/json", method), 400, "bad_body", /^the body is not valid JSON \(/);
    await expectError(await send("", "application/json", method), 400, "bad_body", /^the body is empty/);
    await expectError(await send(Buffer.from([0x7b, 0xff, 0x7d]), "application/json", method), 400, "bad_body", /not UTF-8/);
    await expectError(await send("[]", "application/json", method), 400, "bad_request", 'the body must be a JSON object: {"label": "…", "note": "…"}');
    await expectError(await send('"quote"', "application/json", method), 400, "bad_request", /must be a JSON object/);
    await expectError(await send(JSON.stringify({ label: "x", note: "n".repeat(20_000) }), "application/json", method), 413, "body_too_large", "the body is larger than 16384 bytes, the limit for this request");
  }
  await expectError(await request.put(labelUrl, { data: { label: "" } }), 400, "bad_request", "label: the label is empty");
  await expectError(await request.put(labelUrl, { data: { label: "x".repeat(81) } }), 400, "bad_request", "label: the label is longer than 80 characters");
  await expectError(await request.put(labelUrl, { data: { label: "x", note: "n".repeat(2001) } }), 400, "bad_request", "note: the note is longer than 2000 characters");
  await expectError(await request.put(labelUrl, { data: { label: "a\nb" } }), 400, "bad_request", /one line of text/);
  await expectError(await request.put(labelUrl, { data: { label: 42 } }), 400, "bad_request", "label must be a string");
  await expectError(await request.put(labelUrl, { data: { label: "x" }, headers: { origin: "http://evil.example" } }), 403, "forbidden", /not from this server/);
  // Writing a unit the model lacks changes nothing either.
  await expectError(await request.put(`${api}/units/c:0:99/label`, { data: { label: "x" } }), 404, "not_found", /index 99 does not exist/);

  expect(await labelOf(request)).toEqual(baseline);
  // The sample route reads only: no writes through it.
  const post = await request.post(`${api}/sample?unit=h:1:5`, { data: {} });
  expect(post.status()).toBe(405);
  expectNoInternals(await post.text());
  expect((await (await request.delete(labelUrl)).json()).deleted).toBe(true);
});

test("labels and notes with markup are stored as typed and shown as text, never as HTML", async ({ page, request }) => {
  const label = "<script>alert(1)</script>";
  const note = '<img src=x onerror="alert(2)"> & <b>bold</b>';
  expect((await request.put(labelUrl, { data: { label, note } })).status()).toBe(200);
  try {
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    for (const url of [`/models/${MODEL}/cells/${UNIT}`, `/models/${MODEL}`]) {
      await page.goto(url);
      const main = page.locator("main");
      await expect(main.getByText(label).first()).toBeVisible();
      await expect(main.getByText(note).first()).toBeVisible();
      // Nothing was injected: no image from the note, no bold element, no script holding the label's code.
      expect(await page.locator('img[src="x"], main b').count()).toBe(0);
      expect(await page.locator("script").evaluateAll((els) => els.filter((s) => !s.hasAttribute("src") && s.textContent?.includes("alert(1)") && !s.textContent.includes("self.__next")).length)).toBe(0);
    }
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await request.delete(labelUrl);
  }
});

test("pages with bad ids or parameters show a helpful page, not a crash", async ({ page }) => {
  for (const url of [`/models/..%2F..%2Fetc%2Fpasswd`, `/models/1%20OR%201%3D1/cells/c:0:0`, `/models/${MODEL}/cells/..%2F..%2Fetc`, `/models/${MODEL}/cells/'%3B%20DROP%20TABLE%20Unit%3B--`, `/models/${MODEL}/cells/c:0:999`]) {
    const res = await page.goto(url);
    expect(res?.status(), url).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    expectNoInternals(await page.locator("main").innerText());
  }
  await page.goto(`/models/${MODEL}/cells/h:1:5?at=-5`);
  await expect(page.getByTestId("view-problem")).toContainText("cannot be negative");
  await page.goto(`/models/${MODEL}/search?q=${encodeURIComponent("x".repeat(600))}`);
  await expect(page.getByTestId("search-error")).toContainText("longer than 500 characters");
  await page.goto(`/models/${MODEL}/search?q=${encodeURIComponent("(a+)+$")}`);
  await expect(page.getByTestId("search-error")).toHaveCount(0);
  await page.goto(`/models/${MODEL}/sample?unit=..%2F..%2Fetc&length=5`);
  await expect(page.getByTestId("sample-form-error")).toContainText("is not a unit id");
  // The page lists every bad parameter too, and keeps what was typed in the form to fix.
  await page.goto(`/models/${MODEL}/sample?unit=banana&length=2001&temperature=9`);
  const error = page.getByTestId("sample-form-error");
  for (const part of ["3 problems", "length must be at most 2000", "temperature must be at most 5", '"banana" is not a unit id']) await expect(error).toContainText(part);
  await expect(page.getByRole("spinbutton", { name: "Length" })).toHaveValue("2001");
  await expect(page.getByTestId("sample-text")).toHaveCount(0);
});
