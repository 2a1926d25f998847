/**
 * One place that picks and starts the TensorFlow.js backend.
 *
 * Cellscope trains and records on the wasm backend: its XNNPACK matmul runs at
 * about 40 GFLOP/s on one core, forty times the pure-JS `cpu` backend.
 * (tfjs-node cannot install offline: its install script downloads libtensorflow.)
 * The .wasm binaries ship inside the npm package, so nothing is downloaded.
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import path from "node:path";
import { installFastWasmKernels } from "./wasm-kernels.ts";

export { tf };

let ready: Promise<void> | undefined;

/** Starts the wasm backend once (or `name` when given, e.g. "cpu" for tests). */
export function initBackend(name: "wasm" | "cpu" = "wasm"): Promise<void> {
  if (ready && tf.getBackend() === name) return ready;
  ready = (async () => {
    if (name === "wasm") {
      const require = createRequire(import.meta.url);
      const dist = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
      setWasmPaths(dist + path.sep);
      installFastWasmKernels();
    }
    // Skips tfjs's per-op debug checks; they cost time in a hot loop of small ops.
    tf.enableProdMode();
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`could not start the TensorFlow.js ${name} backend`);
    await tf.ready();
  })();
  return ready;
}
