import { describe, expect, it } from "vitest";
import { describeError } from "./errors.ts";
import { MAX_QUERY_CHARS } from "./limits.ts";
import { ModelParams, queryOf, searchParamsOf, UnitParams } from "./params.ts";

/** Ids that must never reach a file path or SQL: traversal (plain and encoded), SQL, markup, empty. */
const HOSTILE = ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "..%252F..%252Fetc", "..", ".hidden", "a/b", "a\\b", "1 OR 1=1", "'; DROP TABLE Unit;--", "<script>", "", " ", "x".repeat(101)];

describe("route parameters", () => {
  it("accept model ids of letters, digits, dots, dashes and underscores", () => {
    expect(ModelParams.parse({ model: "warpeace-2x64" }).model).toBe("warpeace-2x64");
    expect(ModelParams.parse({ model: "my_model.v2" }).model).toBe("my_model.v2");
  });

  it("refuse anything else as a model id, with code bad_model, before any lookup", () => {
    for (const model of HOSTILE) {
      const r = ModelParams.safeParse({ model });
      expect(r.success, model).toBe(false);
      expect(describeError(r.error)).toMatchObject({ status: 400, code: "bad_model", message: expect.stringContaining("is not a model id") });
    }
  });

  it("accept unit ids KIND:LAYER:INDEX, colons percent-encoded or not, and refuse the rest with code bad_unit", () => {
    expect(UnitParams.parse({ model: "m", unit: "c:1:83" }).unit).toBe("c:1:83");
    expect(UnitParams.parse({ model: "m", unit: "h%3A0%3A5" }).unit).toBe("h:0:5");
    for (const unit of [...HOSTILE, "c:1", "x:1:2", "c:-1:2", "c:1:2.5", "c:1:99999", "c:1:2 OR 1=1"]) {
      const r = UnitParams.safeParse({ model: "m", unit });
      expect(r.success, unit).toBe(false);
      expect(describeError(r.error)).toMatchObject({ status: 400, code: "bad_unit", message: expect.stringContaining("is not a unit id: write KIND:LAYER:INDEX") });
    }
  });

  it("quote a long bad id in the message shortened", () => {
    const r = ModelParams.safeParse({ model: "/".repeat(500) });
    expect(describeError(r.error).message.length).toBeLessThan(200);
  });

  it("refuse a query string over the limit with 414", () => {
    const at = (n: number) => new Request(`http://localhost/api/x?q=${"a".repeat(n - 2)}`);
    expect(queryOf(at(MAX_QUERY_CHARS))).toEqual({ q: "a".repeat(MAX_QUERY_CHARS - 2) });
    let err: unknown;
    try {
      searchParamsOf(at(MAX_QUERY_CHARS + 1));
    } catch (e) {
      err = e;
    }
    expect(describeError(err)).toEqual({
      status: 414,
      code: "query_too_long",
      message: `the query string is ${MAX_QUERY_CHARS + 1} characters long; the limit is ${MAX_QUERY_CHARS}`,
    });
  });
});
