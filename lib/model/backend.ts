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
import { existsSync } from "node:fs";
import path from "node:path";
import { installNativeAddon } from "./native-matmul.ts";
import { installFastWasmKernels } from "./wasm-kernels.ts";

export { tf };

let ready: Promise<void> | undefined;

/**
 * The folder holding tfjs-backend-wasm's .wasm binaries: under the working
 * directory's node_modules (the repo root, where the CLI and the server run),
 * else under this repository's. Found at run time on purpose: a static
 * `require.resolve("….wasm")` makes Next's bundler try to bundle the binary.
 */
export function wasmDir(): string {
  const parts = ["node_modules", "@tensorflow", "tfjs-backend-wasm", "dist"];
  // Not PROJECT_ROOT: see corporaDir (lib/corpus/corpus.ts).
  const roots = [process.cwd(), path.resolve(/*turbopackIgnore: true*/ import.meta.dirname ?? ".", "..", "..")];
  for (const root of roots) {
    const dir = path.join(/*turbopackIgnore: true*/ root, ...parts);
    if (existsSync(dir)) return dir + path.sep;
  }
  throw new Error(`the TensorFlow.js wasm binaries are not in ${roots.map((r) => path.join(/*turbopackIgnore: true*/ r, ...parts)).join(" or ")}: run npm install`);
}

/** Starts the wasm backend once (or `name` when given, e.g. "cpu" for tests). */
export function initBackend(name: "wasm" | "cpu" = "wasm"): Promise<void> {
  if (ready && tf.getBackend() === name) return ready;
  ready = (async () => {
    if (name === "wasm") {
      setWasmPaths(wasmDir());
      installFastWasmKernels();
      installNativeAddon();
    }
    // Skips tfjs's per-op debug checks; they cost time in a hot loop of small ops.
    tf.enableProdMode();
    // The wasm module (Emscripten) installs process-wide handlers that rethrow any
    // uncaught error from inside its own minified source, so a crash anywhere
    // prints a megabyte of wasm glue instead of the error. Keep the process's own.
    const events = ["uncaughtException", "unhandledRejection"];
    const emitter = process as unknown as NodeJS.EventEmitter;
    const before = events.map((e) => new Set(emitter.listeners(e)));
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`could not start the TensorFlow.js ${name} backend`);
    await tf.ready();
    events.forEach((e, k) => {
      for (const l of emitter.listeners(e)) if (!before[k].has(l)) emitter.removeListener(e, l as (...args: unknown[]) => void);
    });
  })();
  ready.catch(() => (ready = undefined));
  return ready;
}
