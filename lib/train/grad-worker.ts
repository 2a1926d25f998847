/**
 * A training worker thread (./data-parallel.ts): for each step it is sent its
 * streams' slice of the chunk and of the carried state, computes the mean loss
 * and the gradients of its characters, writes the gradients into its shared
 * buffer (paramNames order) and replies with the loss and its new state.
 * The weights it reads from shared memory, again whenever an update bumped
 * the version.
 */
import { parentPort, workerData } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import type { Tensor, Tensor2D } from "@tensorflow/tfjs";
import { initBackend } from "../model/backend.ts";
import type { CellState } from "../model/cell.ts";
import { cellByName } from "../model/cells.ts";
import { lossAndGrads, maskRows } from "../model/network.ts";
import { disposeParams, fromNamed, toNamed, type Params } from "../model/params.ts";
import { sharedLayout, type WorkerInit, type WorkerReply, type WorkerStep } from "./data-parallel.ts";

const init = workerData as WorkerInit;
const { config } = init;
const cell = cellByName(config.cell);
const { names, shapes, offsets } = sharedLayout(config);
const weights = new Float32Array(init.weights);
const grads = new Float32Array(init.grads);
let params: Params | undefined;
let version = -1;

const ready = initBackend(init.backend as "wasm" | "cpu");

function step(msg: WorkerStep): WorkerReply {
  if (msg.version !== version || !params) {
    if (params) disposeParams(params as Params<Tensor, Tensor>);
    const named = Object.fromEntries(names.map((n) => [n, tf.tensor(weights.slice(offsets[n], offsets[n] + shapes[n].reduce((a, b) => a * b, 1)), shapes[n]) as Tensor]));
    params = fromNamed(named, config.layers) as unknown as Params;
    version = msg.version;
  }
  const b = msg.chunk.batch;
  const out = tf.tidy(() => {
    const state = msg.state.map((st) => Object.fromEntries(Object.entries(st).map(([k, x]) => [k, tf.tensor2d(x, [b, config.hidden])])) as CellState);
    const masks = msg.masks && maskRows(msg.masks.draw, config.layers, config.hidden, msg.masks.p);
    const r = lossAndGrads(cell, params!, msg.chunk, state, masks, msg.reduction);
    return { loss: r.loss, grads: toNamed(r.grads as Params<Tensor, Tensor>), state: r.state as unknown as Record<string, Tensor2D>[] };
  });
  for (const n of names) grads.set(out.grads[n].dataSync() as Float32Array, offsets[n]);
  const reply: WorkerReply = {
    loss: out.loss.dataSync()[0],
    state: out.state.map((st) => Object.fromEntries(Object.entries(st).map(([k, x]) => [k, x.dataSync() as Float32Array]))),
  };
  tf.dispose([out.loss, ...Object.values(out.grads), ...out.state.flatMap((x) => Object.values(x))]);
  return reply;
}

parentPort!.on("message", async (msg: WorkerStep | null) => {
  try {
    await ready;
    // null: the start-up handshake.
    parentPort!.postMessage(msg ? step(msg) : { loss: 0, state: [] });
  } catch (e) {
    parentPort!.postMessage({ loss: NaN, state: [], error: (e as Error).message } satisfies WorkerReply);
  }
});
