/**
 * A recording worker thread (./record-workers.ts): it loads the model once,
 * then for each part of a window it is sent runs those positions and
 * quantizes them into the window's shared buffers, counting characters done
 * in its progress slot, and replies when the part is in.
 */
import { parentPort, workerData } from "node:worker_threads";
import { initBackend } from "../model/backend.ts";
import { cellByName } from "../model/cells.ts";
import { loadModel } from "../model/model-file.ts";
import { windowViews } from "./record-window.ts";
import { runPart, type RecordJob, type RecordReply, type RecordWorkerInit } from "./record-workers.ts";

const init = workerData as RecordWorkerInit;
const buf = windowViews(init.window);
const progress = new Int32Array(init.progress);

const ready = (async () => {
  await initBackend(init.backend as "wasm" | "cpu");
  return loadModel(init.modelDir);
})();

parentPort!.on("message", async (job: RecordJob | null) => {
  try {
    const model = await ready;
    // null: the start-up handshake.
    if (job) {
      const cell = cellByName(model.meta.config.cell);
      await runPart(cell, model.params, init.ids, job.from, job.to, job.windowStart, job.run, init.shape, buf, (n) => Atomics.add(progress, init.slot, n));
    }
    parentPort!.postMessage({} satisfies RecordReply);
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error).message } satisfies RecordReply);
  }
});
