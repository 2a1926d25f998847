import { describe, expect, it } from "vitest";
import { NO_TRACK_R } from "../api/limits.ts";
import { isClearDetector, isConstantUnit, isInterpretable, movesLittle, noUnitTracks, unitCaution } from "./strength.ts";

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

describe("isConstantUnit", () => {
  it("calls a unit constant only when its values barely move", () => {
    expect(isConstantUnit({ std: 0 })).toBe(true);
    expect(isConstantUnit({ std: 0.0009 })).toBe(true);
    expect(isConstantUnit({ std: 0.001 })).toBe(false);
    expect(isConstantUnit({ std: 0.03 })).toBe(false);
  });
});

describe("isInterpretable", () => {
  it("asks more than a clear detector: |r| ≥ 0.5 or an AUC 0.35 from chance", () => {
    expect(isInterpretable({ r: -0.5, auc: null })).toBe(true);
    expect(isInterpretable({ r: 0.4, auc: null })).toBe(false);
    expect(isClearDetector({ r: 0.4, auc: null })).toBe(true);
    expect(isInterpretable({ r: 0.1, auc: 0.14 })).toBe(true);
    expect(isInterpretable({ r: 0.1, auc: 0.8 })).toBe(false);
    expect(isInterpretable(null)).toBe(false);
  });
});

describe("unitCaution and noUnitTracks", () => {
  it("flags units that barely move, with their std, and leaves the others alone", () => {
    expect(unitCaution({ std: 0 })).toMatch(/^constant: std under 0\.001$/);
    expect(unitCaution({ std: 0.0312 })).toBe("moves little: std 0.03");
    expect(unitCaution({ std: 0.001 })).toBe("moves little: std 0.001");
    expect(movesLittle({ std: 0.0009 })).toBe(false);
    expect(unitCaution({ std: 0.05 })).toBeNull();
    expect(unitCaution({ std: 0.4 })).toBeNull();
  });

  it("says no unit tracks a query when the best |r| is under NO_TRACK_R", () => {
    expect(noUnitTracks(0.05)).toBe(true);
    expect(noUnitTracks(NO_TRACK_R)).toBe(false);
    expect(noUnitTracks(0.6)).toBe(false);
  });
});
