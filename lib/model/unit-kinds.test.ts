import { describe, expect, it } from "vitest";
import { isGateKind, isSigned, kindLabel, kindRange, UNIT_ID_PATTERN, UNIT_KINDS } from "./unit-kinds.ts";
import { CELLS } from "./cells.ts";
import { dequantize, quantize } from "../store/quantize.ts";

describe("the registry of unit kinds", () => {
  it("gives tanh-like kinds [−1, 1] and gates [0, 1]", () => {
    expect(kindRange("c")).toEqual({ lo: -1, hi: 1 });
    expect(kindRange("h")).toEqual({ lo: -1, hi: 1 });
    for (const g of ["i", "f", "o", "r", "z"]) {
      expect(kindRange(g), g).toEqual({ lo: 0, hi: 1 });
      expect(isGateKind(g), g).toBe(true);
      expect(isSigned(g), g).toBe(false);
    }
    expect(isGateKind("h")).toBe(false);
    expect(kindLabel("f")).toBe("forget gate");
    expect(kindLabel("z")).toBe("update gate");
  });

  it("spells unit ids with exactly its kinds", () => {
    for (const k of UNIT_KINDS) expect(UNIT_ID_PATTERN.test(`${k}:1:83`), k).toBe(true);
    for (const bad of ["x:1:83", "cc:1:83", "c:1", "c:1:83:0", ":1:83"]) expect(UNIT_ID_PATTERN.test(bad), bad).toBe(false);
  });

  it("holds every kind a registered cell records, h included", () => {
    for (const cell of Object.values(CELLS)) {
      expect(cell.records, cell.name).toContain("h");
      for (const k of cell.records) expect(UNIT_KINDS, `${cell.name} records ${k}`).toContain(k);
    }
  });

  it("quantizes each kind's whole range onto the bytes", () => {
    for (const k of UNIT_KINDS) {
      const r = kindRange(k);
      expect(quantize(r.lo, r)).toBe(0);
      expect(quantize(r.hi, r)).toBe(255);
      expect(Math.abs(dequantize(quantize((r.lo + r.hi) / 2, r), r) - (r.lo + r.hi) / 2)).toBeLessThan(0.005);
    }
  });
});
