import { describe, expect, it } from "vitest";
import { readJsonBody } from "./body.ts";
import { describeError } from "./errors.ts";
import { MAX_BODY_BYTES } from "./limits.ts";

const example = '{"label": "…"}';
const put = (body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }) =>
  new Request("http://localhost/api/x", { method: "PUT", body, headers, duplex: "half" } as RequestInit);

/** The status, code and message readJsonBody's refusal turns into. */
async function refusal(req: Request) {
  try {
    await readJsonBody(req, { example });
  } catch (e) {
    return describeError(e);
  }
  throw new Error("the body was accepted");
}

/** A body streamed in chunks with no Content-Length, as `Transfer-Encoding: chunked` sends it. */
function streamed(chunks: number, chunkBytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent++ >= chunks) c.close();
      else c.enqueue(new Uint8Array(chunkBytes).fill(0x20));
    },
  });
}

describe("JSON request bodies", () => {
  it("parse JSON sent as application/json (with a charset, or a +json type)", async () => {
    expect(await readJsonBody(put('{"label":"quote"}'), { example })).toEqual({ label: "quote" });
    expect(await readJsonBody(put("[1]", { "content-type": "application/json; charset=utf-8" }), { example })).toEqual([1]);
    expect(await readJsonBody(put("{}", { "content-type": "application/merge-patch+json" }), { example })).toEqual({});
  });

  it("refuse other content types with 415, naming the one to use", async () => {
    expect(await refusal(put('{"label":"x"}', { "content-type": "text/plain" }))).toEqual({
      status: 415,
      code: "unsupported_media_type",
      message: `send the body as JSON with "Content-Type: application/json" (got "text/plain"), e.g. ${example}`,
    });
    expect(await refusal(put("label=x", { "content-type": "application/x-www-form-urlencoded" }))).toMatchObject({ status: 415 });
    // (A string body gets text/plain from fetch; bytes get no type at all.)
    expect(await refusal(put(new TextEncoder().encode('{"label":"x"}'), {}))).toMatchObject({ status: 415, message: expect.stringContaining("no Content-Type") });
    expect(await refusal(put("{}", { "content-type": "application/jsonx" }))).toMatchObject({ status: 415 });
  });

  it("refuse a body over the limit with 413, by its Content-Length or while reading it", async () => {
    const big = put(JSON.stringify({ label: "x", note: "n".repeat(MAX_BODY_BYTES) }));
    expect(await refusal(big)).toMatchObject({ status: 413, code: "body_too_large", message: `the body is larger than ${MAX_BODY_BYTES} bytes, the limit for this request` });
    // No Content-Length (chunked): counted as it arrives, and the rest is never read.
    const stream = streamed(1000, 1024);
    expect(await refusal(put(stream))).toMatchObject({ status: 413, code: "body_too_large" });
    // A body just at the limit is read.
    const exact = JSON.stringify({ note: "n".repeat(MAX_BODY_BYTES - 11) });
    expect(exact.length).toBe(MAX_BODY_BYTES);
    expect(await readJsonBody(put(exact), { example })).toMatchObject({ note: expect.any(String) });
  });

  it("refuse empty bodies, malformed JSON and bytes that are not UTF-8 with 400", async () => {
    expect(await refusal(put(""))).toEqual({ status: 400, code: "bad_body", message: `the body is empty: send JSON, e.g. ${example}` });
    expect(await refusal(put(null))).toMatchObject({ status: 400, message: expect.stringContaining("empty") });
    const broken = await refusal(put('{"label": "x"'));
    expect(broken).toMatchObject({ status: 400, code: "bad_body" });
    expect(broken.message).toMatch(/^the body is not valid JSON \(.+\): send e\.g\. /);
    expect(await refusal(put("{label: 'x'}"))).toMatchObject({ status: 400, code: "bad_body" });
    expect(await refusal(put(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])))).toMatchObject({ status: 400, message: expect.stringContaining("not UTF-8") });
  });
});
