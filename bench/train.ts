/**
 * Training throughput: a 2×256 model of any cell (LSTM by default) on War and Peace (batch 50 × 100 steps)
 * for a fixed number of iterations, against the matmul peak measured in the
 * same process; then the same with the batch's streams split among every
 * core (lib/train/data-parallel.ts): `parallel.speedup` is its chars/s over
 * one worker's, `utilizationPerWorker` its FLOP rate per worker against the
 * same peak. Where Debian's python3-torch is present, the same training in
 * PyTorch on the same CPU (scripts/bench_torch.py: one-hot input, Adam, OpenBLAS
 * on one thread, then on as many as workers) in the same run: `vsTorch` is
 * Cellscope's chars/s over PyTorch's on the same number of cores. Where the
 * native addon is built, one worker also trains on the wasm backend's
 * own kernels (`wasmMatmul.nativeSpeedup`). Each of the contenders runs
 * `rounds` times in turn and reports its median (`perRound` has them all).
 * Prints one JSON object.
 */
import { loadCorpus, splitRange } from "../lib/corpus/corpus.ts";
import { cellByName } from "../lib/model/cells.ts";
import { zeroState } from "../lib/model/cell.ts";
import { ModelConfig, countParams, trainFlopsPerChar } from "../lib/model/config.ts";
import { initOptimizerState, OptimizerConfig } from "../lib/model/optimizer.ts";
import { initParams, toNamed, type Params } from "../lib/model/params.ts";
import { Random } from "../lib/model/random.ts";
import { makeChunk } from "../lib/train/train.ts";
import { disposeTrainer, trainStep, type TrainerState } from "../lib/train/step.ts";
import { DataParallel } from "../lib/train/data-parallel.ts";
import { defaultWorkers } from "../lib/model/workers.ts";
import { bestPeak, measureGemmPeak } from "./gemm.ts";
import { installNativeAddon, useNative } from "../lib/model/native-matmul.ts";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { PROJECT_ROOT } from "../lib/project-root.ts";

/** PyTorch's chars/s for the same model and batch with OpenBLAS on `threads` threads, or why there is none. */
function torchRate(o: { cell: string; layers: number; hidden: number; batch: number; seq: number; iterations: number }, threads: number): { charsPerSec: number } | { skipped: string } {
  const script = path.join(PROJECT_ROOT, "scripts", "bench_torch.py");
  const args = [script, "--cell", o.cell, "--layers", String(o.layers), "--hidden", String(o.hidden), "--batch", String(o.batch), "--seq", String(o.seq), "--iterations", String(o.iterations)];
  // Debian's python3 first: a python of its own on the PATH (pyenv) may lack torch.
  for (const py of ["/usr/bin/python3", "python3"]) {
    const r = spawnSync(py, args, { encoding: "utf8", env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads) }, timeout: 900_000 });
    if (r.status === 0) return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    if (r.error || /No module named 'torch'/.test(r.stderr)) continue;
    return { skipped: `PyTorch failed: ${r.stderr.trim().split("\n").at(-1)}` };
  }
  return { skipped: "no python3 with torch (apt-get install python3-torch libopenblas0-pthread)" };
}
import * as tf from "@tensorflow/tfjs";

export async function benchTrain(o: { cell?: string; iterations?: number; warmup?: number; layers?: number; hidden?: number; batch?: number; seq?: number; corpus?: string; workers?: number; rounds?: number }) {
  const iterations = o.iterations ?? 20;
  const rounds = o.rounds ?? 3;
  const warmup = o.warmup ?? 3;
  const B = o.batch ?? 50;
  const T = o.seq ?? 100;
  const corpus = loadCorpus(o.corpus ?? "warpeace");
  const config = ModelConfig.parse({ cell: o.cell ?? "lstm", layers: o.layers ?? 2, hidden: o.hidden ?? 256, vocabSize: corpus.vocab.length, dropout: 0.1 });
  const cell = cellByName(config.cell);
  const optCfg = OptimizerConfig.parse({});
  const { end } = splitRange(corpus.ids.length, "train");
  const streamLen = Math.floor((end - 1) / B);
  /** Trains from the same start with `step`; chars/s over the iterations after the warm-up, and the first and last loss. */
  const measure = async (step: (s: TrainerState, i: number, rng: Random) => number | Promise<number>) => {
    const params = initParams(config, 1);
    const s: TrainerState = { params, opt: initOptimizerState(toNamed(params as Params<tf.Tensor, tf.Tensor>)), state: Array.from({ length: config.layers }, () => zeroState(cell, B, config.hidden)) };
    const rng = new Random(1);
    let measured = 0;
    let first = NaN;
    let last = NaN;
    for (let i = 0; i < warmup + iterations; i++) {
      const t0 = performance.now();
      const loss = await step(s, i, rng);
      if (i >= warmup) measured += performance.now() - t0;
      if (i === 0) first = loss;
      last = loss;
    }
    disposeTrainer(s);
    return { charsPerSec: (iterations * B * T) / (measured / 1000), first, last };
  };
  const chunk = (i: number) => makeChunk(corpus.ids, streamLen, i, T, B);
  const oneStep = (s: TrainerState, i: number, rng: Random) => trainStep(cell, config, optCfg, 2e-3, s, chunk(i), rng);
  const workers = Math.min(o.workers ?? defaultWorkers(), B);
  const torchShape = { cell: config.cell, layers: config.layers, hidden: config.hidden, batch: B, seq: T, iterations };
  // Rounds, each of every contender in turn, and the median of each: on a shared machine one
  // measurement of two workers varied from 14,000 to 19,000 chars/s within minutes.
  const runs = { single: [] as Awaited<ReturnType<typeof measure>>[], parallel: [] as Awaited<ReturnType<typeof measure>>[], torchOne: [] as number[], torchAll: [] as number[] };
  let torchSkipped: { skipped: string } | undefined;
  const dp = workers > 1 ? await DataParallel.start(config, workers) : undefined;
  const peaks: ReturnType<typeof measureGemmPeak>[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      peaks.push(measureGemmPeak(cell.gates, config.hidden));
      runs.single.push(await measure(oneStep));
      if (dp) runs.parallel.push(await measure((s, i, rng) => dp.step(cell, optCfg, 2e-3, s, chunk(i), rng)));
      if (torchSkipped) continue;
      const one = torchRate(torchShape, 1);
      if (!("charsPerSec" in one)) {
        torchSkipped = one;
        continue;
      }
      runs.torchOne.push(one.charsPerSec);
      const all = workers > 1 ? torchRate(torchShape, workers) : undefined;
      if (all && "charsPerSec" in all) runs.torchAll.push(all.charsPerSec);
    }
  } finally {
    await dp?.close();
  }
  const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : undefined);
  const single = { charsPerSec: median(runs.single.map((r) => r.charsPerSec))!, first: runs.single[0].first, last: runs.single[0].last };
  const parallel = dp && { workers, charsPerSec: median(runs.parallel.map((r) => r.charsPerSec))!, lastLoss: runs.parallel[0].last };
  const torchOne = torchSkipped ?? { charsPerSec: median(runs.torchOne)! };
  const torchAll = runs.torchAll.length ? { charsPerSec: median(runs.torchAll)! } : undefined;
  // The same on the wasm backend's own kernels, where the native ones run (lib/model/native-matmul.ts): once, it is slow.
  const product = installNativeAddon();
  let wasm: { charsPerSec: number; peak: number } | undefined;
  if (product.startsWith("native")) {
    useNative("wasm");
    try {
      const r = await measure(oneStep);
      wasm = { charsPerSec: r.charsPerSec, peak: measureGemmPeak(cell.gates, config.hidden).gflopsPerSec };
    } finally {
      useNative("native");
    }
  }
  const peak = bestPeak(peaks);
  const charsPerSec = single.charsPerSec;
  const [firstLoss, lastLoss] = [single.first, single.last];
  const modelGflopsPerSec = (charsPerSec * trainFlopsPerChar(config)) / 1e9;
  const gflops = (cps: number) => (cps * trainFlopsPerChar(config)) / 1e9;
  return {
    bench: "train",
    backend: tf.getBackend(),
    matmul: product,
    cell: config.cell,
    model: `${config.layers}x${config.hidden}`,
    params: countParams(config),
    batch: B,
    seq: T,
    iterations,
    rounds,
    charsPerSec: Math.round(charsPerSec),
    flopsPerChar: trainFlopsPerChar(config),
    modelGflopsPerSec: +modelGflopsPerSec.toFixed(2),
    gemmPeakGflopsPerSec: +peak.gflopsPerSec.toFixed(2),
    gemmPeakShape: peak.shape,
    gemmAll: Object.fromEntries(Object.entries(peak.all).map(([k, v]) => [k, +v.toFixed(2)])),
    utilization: +(modelGflopsPerSec / peak.gflopsPerSec).toFixed(3),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    loss: { first: +firstLoss.toFixed(4), last: +lastLoss.toFixed(4) },
    // One worker on the wasm backend's own product: what the native one wins.
    wasmMatmul: wasm && {
      charsPerSec: Math.round(wasm.charsPerSec),
      gemmPeakGflopsPerSec: +wasm.peak.toFixed(2),
      nativeSpeedup: +(charsPerSec / wasm.charsPerSec).toFixed(2),
    },
    // The same iterations from the same start on every core: the same losses to float rounding.
    parallel: parallel && {
      workers: parallel.workers,
      charsPerSec: Math.round(parallel.charsPerSec),
      speedup: +(parallel.charsPerSec / charsPerSec).toFixed(2),
      utilizationPerWorker: +(gflops(parallel.charsPerSec) / parallel.workers / peak.gflopsPerSec).toFixed(3),
      lastLoss: +parallel.lastLoss.toFixed(4),
    },
    // PyTorch (scripts/bench_torch.py) on the same CPU in the same run, and Cellscope's chars/s over its, core for core.
    torch:
      "charsPerSec" in torchOne
        ? { oneCore: torchOne.charsPerSec, allCores: torchAll && "charsPerSec" in torchAll ? torchAll.charsPerSec : undefined }
        : torchOne,
    vsTorch:
      "charsPerSec" in torchOne
        ? {
            oneCore: +(charsPerSec / torchOne.charsPerSec).toFixed(2),
            allCores: parallel && torchAll && "charsPerSec" in torchAll ? +(parallel.charsPerSec / torchAll.charsPerSec).toFixed(2) : undefined,
          }
        : undefined,
    // Every round's chars/s, of which the figures above are the medians.
    perRound: {
      single: runs.single.map((r) => Math.round(r.charsPerSec)),
      ...(dp ? { parallel: runs.parallel.map((r) => Math.round(r.charsPerSec)) } : {}),
      ...(runs.torchOne.length ? { torchOneCore: runs.torchOne } : {}),
      ...(runs.torchAll.length ? { torchAllCores: runs.torchAll } : {}),
    },
    goals: { speedup: 1.7, utilizationPerWorker: 0.5, vsTorchAllCores: 1.0 },
  };
}
