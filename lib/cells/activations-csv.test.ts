import { describe, expect, it } from "vitest";
import { activationsCsv } from "./activations-csv.ts";

describe("a unit's values as CSV", () => {
  it("has a row per character, quoting commas, quotes and newlines as RFC 4180 says", () => {
    const csv = activationsCsv({ model: "m", unit: "h:0:1", kind: "h", start: 7, end: 11, total: 100, text: 'a,"\n', values: [0.5, -0.25, 1, 0] });
    expect(csv).toBe('offset,char,value\r\n7,a,0.5\r\n8,",",-0.25\r\n9,"""",1\r\n10,"\n",0\r\n');
    const withSurprise = activationsCsv({ model: "m", unit: "h:0:1", kind: "h", start: 0, end: 2, total: 100, text: "ab", values: [0.1, 0.2], surprise: [null, 1.5] });
    expect(withSurprise).toBe("offset,char,value,surprise\r\n0,a,0.1,\r\n1,b,0.2,1.5\r\n");
  });
});
