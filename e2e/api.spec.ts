import { expect, test, type APIResponse } from "@playwright/test";
import { MODEL, UNIT } from "./helpers.ts";

const api = `/api/models/${MODEL}`;

async function expectError(res: APIResponse, status: number, code: string, message: RegExp) {
  expect(res.status()).toBe(status);
  const body = await res.json();
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(message);
}

test("the API lists models and describes one", async ({ request }) => {
  const list = await (await request.get("/api/models")).json();
  // The char model, and the e2e captioner's decoder recorded over test captions (the corpus "captions").
  expect(list.models.map((m: { id: string }) => m.id).sort()).toEqual(["captioner-lstm", MODEL]);
  expect(list.corpora.map((c: { id: string }) => c.id).sort()).toEqual(["captions", "warpeace"]);
  const m = (await (await request.get(api)).json()).model;
  expect(m).toMatchObject({ id: MODEL, layers: 2, hidden: 64, recording: { kinds: ["c", "h"] } });
  expect(m.training.history.train.length).toBeGreaterThan(0);
});

test("the API serves a unit, its values with the text, search and the inspector", async ({ request }) => {
  const u = (await (await request.get(`${api}/units/${UNIT}`)).json()).unit;
  expect(u).toMatchObject({ unit: UNIT, kind: "h", layer: 1, index: 5 });
  expect(u.stats.histogram).toHaveLength(64);
  // Snippets around its highest and lowest values (the cell page asks for 8 of each), and its signal scores.
  const d = await (await request.get(`${api}/units/${UNIT}?snippets=3`)).json();
  expect(d.snippets.top).toHaveLength(3);
  expect(d.snippets.bottom).toHaveLength(3);
  const peak = d.snippets.top[0];
  expect(Math.max(...peak.values)).toBeCloseTo(peak.values[peak.mark[0] - peak.start], 6);
  expect(d.signals.length).toBeGreaterThan(10);
  await expectError(await request.get(`${api}/units/${UNIT}?snippets=0`), 400, "bad_request", /snippets must be a whole number from 1 to 20/);
  await expectError(await request.get(`${api}/units/${UNIT}?snippets=abc`), 400, "bad_request", /snippets must be a whole number from 1 to 20/);

  const a = await (await request.get(`${api}/units/${UNIT}/activations?start=10&end=70`)).json();
  expect(a.values).toHaveLength(60);
  expect(Array.from(a.text as string)).toHaveLength(60);
  for (const v of a.values) expect(Math.abs(v)).toBeLessThanOrEqual(1);

  const s = await (await request.get(`${api}/search?q=${encodeURIComponent("[A-Z]")}&limit=5`)).json();
  expect(s.results).toHaveLength(5);
  expect(s.results[0].preview.mark).toEqual(s.spans[0]);
  const sig = await (await request.get(`${api}/search?signal=is_space&limit=3&sort=auc`)).json();
  expect(sig.results).toHaveLength(3);

  const i = await (await request.get(`${api}/inspect?at=100`)).json();
  expect(i.guesses).toHaveLength(5);
  expect(i.groups.map((g: { kind: string; layer: number }) => `${g.kind}:${g.layer}`)).toEqual(["c:0", "c:1", "h:0", "h:1"]);
});

test("the API serves the whole recorded text, cacheable for good when pinned to its recording", async ({ request }) => {
  const m = (await (await request.get(api)).json()).model;
  const res = await request.get(`${api}/text`);
  expect(res.headers()["cache-control"]).toBe("no-store");
  const t = await res.json();
  expect(t).toMatchObject({ model: MODEL, recording: m.recording.id, chars: m.recording.chars });
  expect(Array.from(t.text as string)).toHaveLength(m.recording.chars);
  const a = await (await request.get(`${api}/units/${UNIT}/activations?start=1000&end=1100`)).json();
  expect(Array.from(t.text as string).slice(1000, 1100).join("")).toBe(a.text);

  const pinned = await request.get(`${api}/text?recording=${m.recording.id}`);
  expect(pinned.headers()["cache-control"]).toMatch(/immutable/);
  await expectError(await request.get(`${api}/text?recording=${m.recording.id + 1000}`), 404, "not_found", /reload/);
  await expectError(await request.get(`${api}/text?recording=abc`), 400, "bad_request", /recording must be/);
});

test("API errors have one shape and the right status", async ({ request }) => {
  await expectError(await request.get("/api/models/nope"), 404, "not_found", /unknown model "nope"/);
  await expectError(await request.get(`/api/models/nope/units/${UNIT}`), 404, "not_found", /unknown model/);
  await expectError(await request.get(`${api}/units/banana`), 400, "bad_unit", /not a unit id/);
  await expectError(await request.get(`${api}/units/c:0:64`), 404, "not_found", /index 64 does not exist/);
  await expectError(await request.get(`${api}/units/c:0:1/activations?start=99999999`), 404, "not_found", /past the end/);
  await expectError(await request.get(`${api}/units/c:0:1/activations?start=-5`), 400, "bad_request", /cannot be negative/);
  await expectError(await request.get(`${api}/units/c:0:1/activations?start=abc`), 400, "bad_request", /whole number/);
  await expectError(await request.get(`${api}/units/c:0:1/activations?start=0&end=100000`), 400, "range_too_large", /at most 20000/);
  await expectError(await request.get(`${api}/inspect`), 400, "bad_request", /at is required/);
  await expectError(await request.get(`${api}/inspect?at=99999999`), 404, "not_found", /past the end/);
  await expectError(await request.get(`${api}/search?q=(`), 400, "invalid_pattern", /invalid pattern/);
  await expectError(await request.get(`${api}/search`), 400, "bad_query", /give q/);
  await expectError(await request.get(`${api}/search?signal=nope`), 400, "bad_query", /unknown signal/);
  await expectError(await request.get(`${api}/search?signal=is_space&to=99999999`), 404, "not_found", /to 99999999 is past the end/);
  await expectError(await request.get(`${api}/search?signal=is_space&from=50&to=20`), 400, "bad_query", /from must be before to/);
});

test("labels: set, read back, refuse other origins, remove", async ({ request }) => {
  const url = `${api}/units/${UNIT}/label`;
  await expectError(await request.put(url, { data: { label: "x" }, headers: { origin: "http://evil.example" } }), 403, "forbidden", /not from this server/);
  await expectError(await request.put(url, { data: { label: "" } }), 400, "bad_request", /empty/);
  const put = await request.put(url, { data: { label: "line-end cell", note: "e2e" } });
  expect(put.status()).toBe(200);
  expect((await (await request.get(`${api}/units/${UNIT}`)).json()).unit.label).toMatchObject({ label: "line-end cell", note: "e2e" });
  expect((await (await request.delete(url)).json()).deleted).toBe(true);
  expect((await (await request.get(`${api}/units/${UNIT}`)).json()).unit.label).toBeNull();
});

test("the API ranks the units that move with a unit, and checks the unit", async ({ request }) => {
  const body = await (await request.get(`${api}/units/${UNIT}/correlated`)).json();
  expect(body.unit).toBe(UNIT);
  expect(body.correlated).toHaveLength(5);
  const rs = body.correlated.map((c: { r: number }) => Math.abs(c.r));
  expect(rs).toEqual([...rs].sort((a: number, b: number) => b - a));
  // Not its own cell (the c of the same layer and index).
  expect(body.correlated.map((c: { unit: string }) => c.unit)).not.toContain(UNIT.replace(/^h/, "c"));
  await expectError(await request.get(`${api}/units/x:1:2/correlated`), 400, "bad_unit", /not a unit id/);
  await expectError(await request.get(`${api}/units/c:7:0/correlated`), 404, "not_found", /layer 7 does not exist/);
});
