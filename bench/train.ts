/**
 * Training throughput: a 2×256 model of any cell (LSTM by default) on War and Peace (batch 50 × 100 steps)
 * for a fixed number of iterations, against the matmul peak measured in the
 * same process. Prints one JSON object.
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
import { measureGemmPeak } from "./gemm.ts";
import * as tf from "@tensorflow/tfjs";

export async function benchTrain(o: { cell?: string; iterations?: number; warmup?: number; layers?: number; hidden?: number; batch?: number; seq?: number; corpus?: string }) {
  const iterations = o.iterations ?? 20;
  const warmup = o.warmup ?? 3;
  const B = o.batch ?? 50;
  const T = o.seq ?? 100;
  const corpus = loadCorpus(o.corpus ?? "warpeace");
  const config = ModelConfig.parse({ cell: o.cell ?? "lstm", layers: o.layers ?? 2, hidden: o.hidden ?? 256, vocabSize: corpus.vocab.length, dropout: 0.1 });
  const cell = cellByName(config.cell);
  const optCfg = OptimizerConfig.parse({});
  const params = initParams(config, 1);
  const s: TrainerState = { params, opt: initOptimizerState(toNamed(params as Params<tf.Tensor, tf.Tensor>)), state: Array.from({ length: config.layers }, () => zeroState(cell, B, config.hidden)) };
  const { end } = splitRange(corpus.ids.length, "train");
  const streamLen = Math.floor((end - 1) / B);
  const rng = new Random(1);
  let measured = 0;
  let firstLoss = NaN;
  let lastLoss = NaN;
  for (let i = 0; i < warmup + iterations; i++) {
    const t0 = performance.now();
    const loss = trainStep(cell, config, optCfg, 2e-3, s, makeChunk(corpus.ids, streamLen, i, T, B), rng);
    if (i >= warmup) measured += performance.now() - t0;
    if (i === 0) firstLoss = loss;
    lastLoss = loss;
  }
  disposeTrainer(s);
  const peak = measureGemmPeak(cell.gates, config.hidden);
  const charsPerSec = (iterations * B * T) / (measured / 1000);
  const modelGflopsPerSec = (charsPerSec * trainFlopsPerChar(config)) / 1e9;
  return {
    bench: "train",
    backend: tf.getBackend(),
    cell: config.cell,
    model: `${config.layers}x${config.hidden}`,
    params: countParams(config),
    batch: B,
    seq: T,
    iterations,
    charsPerSec: Math.round(charsPerSec),
    flopsPerChar: trainFlopsPerChar(config),
    modelGflopsPerSec: +modelGflopsPerSec.toFixed(2),
    gemmPeakGflopsPerSec: +peak.gflopsPerSec.toFixed(2),
    gemmPeakShape: peak.shape,
    gemmAll: Object.fromEntries(Object.entries(peak.all).map(([k, v]) => [k, +v.toFixed(2)])),
    utilization: +(modelGflopsPerSec / peak.gflopsPerSec).toFixed(3),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    loss: { first: +firstLoss.toFixed(4), last: +lastLoss.toFixed(4) },
  };
}
