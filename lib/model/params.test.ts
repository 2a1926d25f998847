import { beforeAll, describe, expect, it } from "vitest";
import type { Tensor } from "@tensorflow/tfjs";
import { initBackend } from "./backend.ts";
import type { ModelConfig } from "./config.ts";
import { initParams, parseWeightInit, toNamed, WeightInit, type Params } from "./params.ts";

beforeAll(async () => {
  await initBackend("wasm");
});

const cfg: ModelConfig = { cell: "rnn", layers: 1, hidden: 100, vocabSize: 65, dropout: 0 };
const values = (p: Params, name: string) => Array.from(toNamed(p as Params<Tensor, Tensor>)[name].dataSync());

describe("weight initialization", () => {
  it("draws the matrices from --weight-init: uniform:S within ±S, normal:S with standard deviation S; biases zero", () => {
    const u = values(initParams(cfg, 1), "rnn.0.Wh");
    expect(Math.max(...u.map(Math.abs))).toBeLessThan(0.08);
    expect(Math.max(...u.map(Math.abs))).toBeGreaterThan(0.079);
    const n = initParams(cfg, 1, "normal:0.01");
    for (const name of ["rnn.0.Wx", "rnn.0.Wh", "out.Wy"]) {
      const v = values(n, name);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
      expect(Math.abs(mean), name).toBeLessThan(0.0005);
      expect(Math.abs(std - 0.01), name).toBeLessThan(0.0005);
      // A normal's tails: about 0.3% of draws lie beyond 3 standard deviations, none of a uniform's.
      expect(v.some((x) => Math.abs(x) > 0.03), name).toBe(true);
    }
    expect(values(n, "rnn.0.b").every((x) => x === 0)).toBe(true);
    expect(values(n, "out.by").every((x) => x === 0)).toBe(true);
  });

  it("is the same for the same seed and different for another", () => {
    expect(values(initParams(cfg, 3, "normal:0.01"), "out.Wy")).toEqual(values(initParams(cfg, 3, "normal:0.01"), "out.Wy"));
    expect(values(initParams(cfg, 4, "normal:0.01"), "out.Wy")).not.toEqual(values(initParams(cfg, 3, "normal:0.01"), "out.Wy"));
  });

  it("accepts DIST:SCALE only", () => {
    expect(parseWeightInit("normal:0.01")).toEqual({ dist: "normal", scale: 0.01 });
    expect(parseWeightInit("uniform:8e-2")).toEqual({ dist: "uniform", scale: 0.08 });
    for (const bad of ["normal", "normal:", "normal:0", "normal:-1", "normal:x", "gauss:0.01", "normal:0.01:2", "normal:Infinity"]) {
      expect(WeightInit.safeParse(bad).success, bad).toBe(false);
    }
  });
});
