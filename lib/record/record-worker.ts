/**
 * A recording worker thread (./record-workers.ts): it loads the model once,
 * is told the text and the window (its set-up), then for each part of a window it is sent runs those positions and
 * quantizes them into the window's shared buffers, counting characters done
 * in its progress slot, and replies when the part is in; for a share of the
 * units it replies with their statistics rows, read through its own
 * connection to the store or, for a one-window recording, from the window.
 */
import { parentPort, workerData } from "node:worker_threads";
import { initBackend } from "../model/backend.ts";
import { cellByName } from "../model/cells.ts";
import { loadModel } from "../model/model-file.ts";
import { openBulk } from "../store/activations.ts";
import { windowViews, type WindowBuffers } from "./record-window.ts";
import { storedUnitRow } from "./unit-stats.ts";
import { claimWindowStats, runPart, type RecordJob, type RecordReply, type RecordWorkerInit, type RecordWorkerSetup } from "./record-workers.ts";

const init = workerData as RecordWorkerInit;
const progress = new Int32Array(init.progress);
let setup: (RecordWorkerSetup & { buf: WindowBuffers }) | undefined;

const ready = (async () => {
  await initBackend(init.backend as "wasm" | "cpu");
  return loadModel(init.modelDir);
})();

parentPort!.on("message", async (job: RecordJob) => {
  try {
    const model = await ready;
    if ("setup" in job) setup = { ...job.setup, buf: windowViews(job.setup.window) };
    if (!setup) throw new Error("a job came before the set-up");
    const { ids, shape, buf } = setup;
    if ("part" in job) {
      const { from, to, windowStart, run } = job.part;
      await runPart(cellByName(model.meta.config.cell), model.params, ids, from, to, windowStart, run, shape, buf, (n) => Atomics.add(progress, init.slot, n));
    }
    if ("stats" in job) {
      const { file, recordingId, units, chars } = job.stats;
      const db = openBulk(file);
      const rows = units.map((unit) => {
        const row = storedUnitRow(db, recordingId, unit, chars);
        Atomics.add(progress, init.slot, 1);
        return row;
      });
      parentPort!.postMessage({ rows } satisfies RecordReply);
      return;
    }
    if ("windowStats" in job) {
      const { rows, claimed } = claimWindowStats(job.windowStats, shape, buf, () => Atomics.add(progress, init.slot, 1));
      parentPort!.postMessage({ rows, claimed } satisfies RecordReply);
      return;
    }
    parentPort!.postMessage({} satisfies RecordReply);
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error).message } satisfies RecordReply);
  }
});
