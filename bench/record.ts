/**
 * Recording throughput: a 2×256 LSTM run over War and Peace's test split into
 * a fresh store, against the matmul peak measured in the same process.
 * (Speed does not depend on the weights, so fresh weights stand in for a
 * trained model when none is given.)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadCorpus } from "../lib/corpus/corpus.ts";
import { ModelConfig, forwardFlopsPerChar } from "../lib/model/config.ts";
import { initParams } from "../lib/model/params.ts";
import { saveModel, readModelJson } from "../lib/model/model-file.ts";
import { recordModel } from "../lib/record/record.ts";
import { setupStore } from "../lib/store/setup-store.ts";
import { createPrisma } from "../lib/db.ts";
import { closeBulk } from "../lib/store/activations.ts";
import { bestPeak, measureGemmPeak } from "./gemm.ts";
import { cellByName } from "../lib/model/cells.ts";
import { defaultWorkers } from "../lib/model/workers.ts";

/** A model for `corpus`: the given one, or fresh weights (2×256 unless `size` says) saved in `dir`. */
export function benchModel(dir: string, corpusName = "warpeace", model?: string, size: { layers?: number; hidden?: number } = {}): string {
  if (model) return model;
  const corpus = loadCorpus(corpusName);
  const config = ModelConfig.parse({ layers: size.layers ?? 2, hidden: size.hidden ?? 256, vocabSize: corpus.vocab.length });
  const id = `bench-${config.layers}x${config.hidden}`;
  const out = path.join(dir, id);
  saveModel(
    out,
    {
      format: "cellscope-char-rnn",
      version: 1,
      id,
      config,
      vocab: [...corpus.vocab],
      corpus: { name: corpus.name, sha256: corpus.sha256, chars: corpus.ids.length },
      training: { options: {}, iterations: 0, epochs: 0, seconds: 0, bestValidNats: null, history: { train: [], valid: [] }, samples: [] },
      checks: [],
    },
    initParams(config, 1),
  );
  return out;
}

/** A temporary store with migrations applied; returns its path. */
export async function tempStore(dir: string): Promise<string> {
  process.env.CELLSCOPE_DB = path.join(dir, "bench.db");
  await setupStore();
  return process.env.CELLSCOPE_DB;
}

/**
 * Records the test split (or its first `chars`) twice into fresh stores, on one
 * worker and on `workers` (default: the cores), and reports both against one
 * core's matmul peak measured in the same run.
 */
export async function benchRecord(o: { chars?: number; model?: string; gates?: boolean; workers?: number; layers?: number; hidden?: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cellscope-bench-"));
  const model = benchModel(dir, "warpeace", o.model, { layers: o.layers, hidden: o.hidden });
  const workers = o.workers ?? defaultWorkers();
  const loadBefore = os.loadavg()[0];
  try {
    const config = readModelJson(model).meta.config;
    const gates = cellByName(config.cell).gates;
    // The peak before and after the runs, each shape's best.
    const peaks = [measureGemmPeak(gates, config.hidden)];
    const runs = [];
    for (const w of workers > 1 ? [1, workers] : [1]) {
      const store = fs.mkdtempSync(path.join(dir, `store-${w}-`));
      await tempStore(store);
      const prisma = createPrisma();
      try {
        const t0 = performance.now();
        const r = await recordModel(prisma, { model, split: "test", chars: o.chars, gates: o.gates, workers: w });
        const seconds = (performance.now() - t0) / 1000;
        runs.push({ workers: w, chars: r.chars, seconds: +seconds.toFixed(2), charsPerSec: Math.round(r.chars / seconds) });
      } finally {
        await prisma.$disconnect();
        closeBulk();
      }
    }
    peaks.push(measureGemmPeak(gates, config.hidden));
    const peak = bestPeak(peaks);
    const gflops = (charsPerSec: number) => (charsPerSec * forwardFlopsPerChar(config)) / 1e9;
    const all = runs.at(-1)!;
    return {
      bench: "record",
      cell: config.cell,
      model: `${config.layers}x${config.hidden}`,
      chars: all.chars,
      gates: Boolean(o.gates),
      runs: runs.map((r) => ({ ...r, modelGflopsPerSec: +gflops(r.charsPerSec).toFixed(2) })),
      seconds: all.seconds,
      charsPerSec: all.charsPerSec,
      workers: all.workers,
      speedup: +(all.charsPerSec / runs[0].charsPerSec).toFixed(2),
      flopsPerChar: forwardFlopsPerChar(config),
      modelGflopsPerSec: +gflops(all.charsPerSec).toFixed(2),
      gemmPeakGflopsPerSec: +peak.gflopsPerSec.toFixed(2),
      /** The model's FLOP/s on all workers ÷ one core's matmul peak. */
      utilization: +(gflops(all.charsPerSec) / peak.gflopsPerSec).toFixed(3),
      utilizationPerWorker: +(gflops(all.charsPerSec) / all.workers / peak.gflopsPerSec).toFixed(3),
      note: "seconds include loading the model and corpus, warm-up characters, quantization, statistics and SQLite writes",
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      machine: { cpus: os.cpus().length, loadBefore: +loadBefore.toFixed(2), loadAfter: +os.loadavg()[0].toFixed(2) },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
