import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../model/backend.ts";
import { paramNames } from "../model/params.ts";
import { readCheckpoint } from "./checkpoint.ts";
import { sliceChunk } from "./data-parallel.ts";
import { splitStreams } from "../model/workers.ts";
import { train, type TrainOptions } from "./train.ts";

const root = mkdtempSync(path.join(tmpdir(), "cellscope-parallel-"));
const corpusFile = path.join(root, "tiny.txt");
writeFileSync(corpusFile, readFileSync(path.resolve(import.meta.dirname, "../../corpora/warpeace.txt")).subarray(0, 12000));

// Dropout on: the masks must reach each worker as the one-worker run draws them.
const small = { corpus: corpusFile, layers: 2, hidden: 32, batch: 7, seq: 12, dropout: 0.1, epochs: 50, validMinutes: 1e6, samples: false, optimizer: "rmsprop" as const };

async function weightsAfter(name: string, o: Partial<TrainOptions>, resume = false): Promise<Record<string, Float32Array>> {
  const starts: string[] = [];
  const run = train({ ...small, ...o, out: path.join(root, name) }, { resume, onEvent: (e) => void (e.kind === "start" && e.message && starts.push(e.message)) });
  await run.done;
  // The run used the workers it was asked for.
  const w = o.workers ?? 1;
  expect(starts.at(-1)).toContain(w === 1 ? "1 worker," : `${w} workers,`);
  return readCheckpoint(path.join(root, name, "checkpoint.ckpt")).data;
}

function expectSameWeights(a: Record<string, Float32Array>, b: Record<string, Float32Array>, names: string[]) {
  let worst = 0;
  for (const k of names) {
    expect(b[k].length, k).toBe(a[k].length);
    for (let i = 0; i < a[k].length; i++) worst = Math.max(worst, Math.abs(a[k][i] - b[k][i]));
  }
  expect(worst).toBeLessThan(1e-5);
  return worst;
}

beforeAll(async () => {
  await initBackend("wasm");
});

describe("data-parallel training", () => {
  it("splits the streams evenly and slices a time-major chunk by stream", () => {
    expect(splitStreams(7, 2)).toEqual([[0, 3], [3, 7]]);
    expect(splitStreams(7, 3)).toEqual([[0, 2], [2, 4], [4, 7]]);
    expect(splitStreams(2, 8)).toEqual([[0, 1], [1, 2]]);
    // 3 steps × 4 streams: row t·4 + s holds 10·t + s.
    const ids = Int32Array.from({ length: 12 }, (_, r) => 10 * Math.floor(r / 4) + (r % 4));
    const c = sliceChunk({ inputs: ids, targets: ids.map((x) => x + 100), steps: 3, batch: 4 }, 1, 3);
    expect(Array.from(c.inputs)).toEqual([1, 2, 11, 12, 21, 22]);
    expect(Array.from(c.targets)).toEqual([101, 102, 111, 112, 121, 122]);
    expect(c.batch).toBe(2);
  });

  it("gives the weights of one worker with two and with three (uneven streams), to float rounding", async () => {
    const names = paramNames({ cell: "lstm", layers: 2 });
    const one = await weightsAfter("w1", { workers: 1, maxIterations: 6 });
    const two = await weightsAfter("w2", { workers: 2, maxIterations: 6 });
    const three = await weightsAfter("w3", { workers: 3, maxIterations: 6 });
    expectSameWeights(one, two, names);
    expectSameWeights(one, three, names);
    // The carried state comes back in stream order.
    for (const k of ["state.0.c", "state.1.h"]) expectSameWeights({ [k]: one[k] }, { [k]: two[k] }, [k]);
    // And training moved them: the agreement is not that of untouched weights.
    const start = await weightsAfter("w0", { workers: 1, maxIterations: 1 });
    expect(Math.max(...Array.from(one["rnn.1.Wh"], (x, i) => Math.abs(x - start["rnn.1.Wh"][i])))).toBeGreaterThan(1e-3);
  }, 120_000);

  it("resumes a checkpoint with another number of workers, and trains a GRU (its extra weight) the same way", async () => {
    const straight = await weightsAfter("r-straight", { workers: 1, maxIterations: 6 });
    await weightsAfter("r-split", { workers: 2, maxIterations: 3 });
    const resumed = await weightsAfter("r-split", { workers: 1, maxIterations: 6 }, true);
    expectSameWeights(straight, resumed, paramNames({ cell: "lstm", layers: 2 }));

    const gru = { cell: "gru" as const, layers: 1, dropout: 0, maxIterations: 4 };
    expectSameWeights(await weightsAfter("g1", { ...gru, workers: 1 }), await weightsAfter("g2", { ...gru, workers: 2 }), paramNames({ cell: "gru", layers: 1 }));
  }, 120_000);
});
