import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { describeError, errorResponse, ForbiddenError, InputError, NotFoundError, respond } from "./errors.ts";
import { RegexError } from "../search/regex.ts";
import { checkSameOrigin, offsetParam } from "./params.ts";

describe("API errors", () => {
  it("maps each kind of error to a status and code", () => {
    expect(describeError(new InputError("bad", "bad_offset"))).toEqual({ status: 400, code: "bad_offset", message: "bad" });
    expect(describeError(new RegexError("invalid pattern: missing )"))).toMatchObject({ status: 400, code: "invalid_pattern" });
    expect(describeError(new NotFoundError('unknown model "x"'))).toMatchObject({ status: 404, code: "not_found" });
    expect(describeError(new ForbiddenError("read-only"))).toMatchObject({ status: 403, code: "forbidden" });
    const z1 = z.object({ start: offsetParam("start") }).safeParse({ start: "-3" });
    expect(describeError(z1.error)).toEqual({ status: 400, code: "bad_request", message: "start cannot be negative" });
  });

  it("never leaks an internal error's message or stack", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = errorResponse(new Error("SQLITE_CORRUPT at /secret/path.db"));
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body.error.code).toBe("internal");
    expect(JSON.stringify(body)).not.toMatch(/secret|SQLITE|at /);
    spy.mockRestore();
  });

  it("answers JSON with the one error shape", async () => {
    const ok = await respond(() => ({ a: 1 }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ a: 1 });
    const bad = await respond(() => {
      throw new InputError("start must be a whole number ≥ 0");
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: "bad_request", message: "start must be a whole number ≥ 0" } });
  });

  it("validates offsets in query strings", () => {
    const s = offsetParam("at");
    expect(s.parse("42")).toBe(42);
    expect(s.safeParse("4.2").success).toBe(false);
    expect(s.safeParse("x").error?.issues[0].message).toBe("at must be a whole number of characters");
    expect(s.safeParse(undefined).error?.issues[0].message).toBe("at is required");
  });

  it("refuses cross-origin writes", () => {
    const req = (h: Record<string, string>) => new Request("http://localhost:3000/api/x", { method: "PUT", headers: h });
    expect(() => checkSameOrigin(req({ host: "localhost:3000", origin: "http://localhost:3000" }))).not.toThrow();
    expect(() => checkSameOrigin(req({ host: "localhost:3000" }))).not.toThrow();
    expect(() => checkSameOrigin(req({ host: "localhost:3000", origin: "http://evil.example" }))).toThrow(ForbiddenError);
    expect(() => checkSameOrigin(req({ host: "localhost:3000", "sec-fetch-site": "cross-site" }))).toThrow(ForbiddenError);
  });
});
