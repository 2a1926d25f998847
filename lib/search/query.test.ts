import { describe, expect, it } from "vitest";
import { SearchQuery } from "./query.ts";

// As the search page and the CLI do: the branch the parameters chose (signal or regex) says what is wrong.
const message = (raw: Record<string, unknown>) => {
  const r = SearchQuery.options["signal" in raw ? 0 : 1].safeParse(raw);
  return r.success ? null : r.error.issues.map((i) => i.message).join("; ");
};

describe("SearchQuery's stretch (from, to)", () => {
  it("reads offsets from strings, as URLs and the CLI give them", () => {
    expect(SearchQuery.parse({ signal: "inside_quotes", from: "100", to: "60000" })).toMatchObject({ from: 100, to: 60000 });
    expect(SearchQuery.parse({ regex: "x", to: "5" })).toMatchObject({ to: 5, mode: "inside" });
    expect(SearchQuery.parse({ signal: "is_space" })).not.toHaveProperty("from");
  });
  it("refuses a stretch that is empty, backwards, negative or not a whole offset", () => {
    expect(message({ signal: "is_space", from: 10, to: 10 })).toContain("from must be before to");
    expect(message({ regex: "x", from: 20, to: 10 })).toContain("from must be before to");
    expect(message({ signal: "is_space", from: -1 })).toContain("from must be at least 0");
    expect(message({ signal: "is_space", to: 0 })).toContain("to must be at least 1");
    expect(message({ signal: "is_space", to: "1.5" })).toContain("to must be a whole number");
    expect(message({ signal: "is_space", from: "abc" })).toContain("from must be a number");
  });
});
