import { describe, expect, it } from "vitest";
import { isClearDetector } from "./strength.ts";

describe("isClearDetector", () => {
  it("names a unit a detector by |r|, either sign", () => {
    expect(isClearDetector({ r: -0.8, auc: null })).toBe(true);
    expect(isClearDetector({ r: 0.3, auc: null })).toBe(true);
    expect(isClearDetector({ r: 0.03, auc: null })).toBe(false);
    expect(isClearDetector({ r: -0.29, auc: null })).toBe(false);
  });

  it("or by an AUC far from chance, on or off where the signal is on", () => {
    expect(isClearDetector({ r: 0.12, auc: 0.93 })).toBe(true);
    expect(isClearDetector({ r: -0.12, auc: 0.05 })).toBe(true);
    expect(isClearDetector({ r: 0.12, auc: 0.62 })).toBe(false);
  });
});
