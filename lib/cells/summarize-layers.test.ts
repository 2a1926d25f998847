import { describe, expect, it } from "vitest";
import { CONSTANT_STD, SATURATED_MEAN } from "../api/limits.ts";
import { summarizeLayers } from "./summarize-layers.ts";

const u = (kind: string, layer: number, std: number, mean = 0) => ({ kind, layer, std, mean });

describe("summarizeLayers", () => {
  it("counts the units that move and the saturated tanh(c) units of each kind and layer", () => {
    const rows = summarizeLayers([
      u("c", 0, 0.2),
      u("c", 0, CONSTANT_STD / 2, 0.999), // pinned at +1: constant and saturated
      u("c", 0, 0.01, -0.995), // saturated but still moving a little
      u("c", 1, CONSTANT_STD, SATURATED_MEAN), // at the thresholds: alive, not saturated
      u("h", 0, 0),
      u("h", 0, 0.3, 0.999),
    ]);
    expect(rows).toEqual([
      { kind: "c", layer: 0, units: 3, alive: 2, saturated: 2 },
      { kind: "c", layer: 1, units: 1, alive: 1, saturated: 0 },
      // Saturation is about tanh(c): an h near ±1 is not counted.
      { kind: "h", layer: 0, units: 2, alive: 1, saturated: null },
    ]);
  });
});
