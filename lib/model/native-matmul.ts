/**
 * The wasm backend's matrix product, computed by a native kernel where one is
 * built (native/matmul.c, at `npm install` by scripts/build-native.mjs).
 *
 *   C[b] = op(A[b]) · op(B[b]),  op(X) = X or Xᵀ,  A or B broadcast when its batch is 1
 *
 * Why: the wasm product runs 4 floats wide without fused multiply-add; the
 * native one runs as wide as the CPU (8 or 16 floats, with FMA) and reads and
 * writes the wasm heap in place, so no tensor is copied. Everything else stays
 * on the wasm backend, and where the kernel is absent (no C compiler at
 * install) or `CELLSCOPE_NATIVE=0`, the wasm product runs unchanged.
 */
import * as tf from "@tensorflow/tfjs";
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { installNativeCells, setNativeCells } from "./native-cells.ts";

type NativeCellFn = (...args: (Float32Array | number)[]) => void;

/** The addon: c = op(a)·op(b) per batch, and each cell's recurrence (native-cells.ts); every array is a view of the wasm heap. */
export interface NativeAddon {
  matmul(a: Float32Array, b: Float32Array, c: Float32Array, batchA: number, batchB: number, M: number, K: number, N: number, transposeA: boolean, transposeB: boolean): void;
  /** Floats per vector in the build: 16 with AVX-512, else 8. */
  vectorWidth: number;
  /** The recurrences (native-cells.ts): their arrays in order, then T, B, H (and flags). */
  lstmForward?: NativeCellFn;
  lstmBackward?: NativeCellFn;
  gruForward?: NativeCellFn;
  gruBackward?: NativeCellFn;
  rnnForward?: NativeCellFn;
  rnnBackward?: NativeCellFn;
  /** One layer's dropout-mask rows for streams [from, to), drawn as lib/model/random.ts's runDraws draws them (native/dropout.c). */
  dropoutRows?(out: Float32Array, start: number, layer: number, steps: number, batch: number, from: number, to: number, hidden: number, p: number, keep: number): void;
  /** Recording's per-value loops (native/record.c; lib/record/record-window.ts and unit-stats.ts say what each computes). */
  quantizeRows?(src: Float32Array, r0: number, rstep: number, count: number, H: number, lo: number, scale: number, dst: Uint8Array, d0: number, stride: number): void;
  histogram?(q: Uint8Array, h: Uint32Array): void;
  /** Positions of bytes > hi or < lo into `out`; how many, or −1 where `out` is too short. */
  outside?(q: Uint8Array, lo: number, hi: number, out: Int32Array): number;
  /** The first out.length positions of byte t; how many. */
  equal?(q: Uint8Array, t: number, out: Int32Array): number;
}

type RecordingKernels = Required<Pick<NativeAddon, "quantizeRows" | "histogram" | "outside" | "equal">>;

interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

let loaded: { addon?: NativeAddon; why?: string } | undefined;

/** The built addon, or why there is none (absent, disabled, or failed to load). */
export function loadNativeAddon(): { addon?: NativeAddon; why?: string } {
  if (loaded) return loaded;
  if (process.env.CELLSCOPE_NATIVE === "0") return (loaded = { why: "CELLSCOPE_NATIVE=0" });
  // Beside the module (lib/model or .build/cli are both two levels deep), else
  // under the working directory; not PROJECT_ROOT (see corporaDir in lib/corpus/corpus.ts).
  const rel = ["native", "build", "Release", "matmul.node"];
  // turbopackIgnore: a path known only at run time; the bundler must not trace it.
  const files = [path.resolve(/*turbopackIgnore: true*/ import.meta.dirname ?? ".", "..", "..", ...rel), path.resolve(/*turbopackIgnore: true*/ ...rel)];
  const file = files.find((f) => existsSync(f));
  if (!file) return (loaded = { why: "not built (npm install builds it with node-gyp and a C compiler)" });
  try {
    return (loaded = { addon: createRequire(import.meta.url)(file) as NativeAddon });
  } catch (e) {
    return (loaded = { why: `did not load: ${(e as Error).message.split("\n")[0]}` });
  }
}

/** BatchMatMul on the wasm heap through the addon; anything it does not cover goes to `original`. */
export function makeNativeBatchMatMul(addon: NativeAddon, original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as { inputs: { a: TensorInfo; b: TensorInfo }; attrs: { transposeA: boolean; transposeB: boolean }; backend: WasmBackend };
    const { a, b } = inputs;
    const { transposeA, transposeB } = attrs;
    const ra = a.shape.length, rb = b.shape.length;
    if (a.dtype !== "float32" || b.dtype !== "float32" || ra < 2 || rb < 2) return original(args);
    const M = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const K = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
    const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2)), batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
    const batch = tf.util.sizeFromShape(outer);
    // Only the broadcasts that are a plain batch or one matrix for all.
    if (K !== kb || (batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return original(args);
    const out = backend.makeOutput([...outer, M, N], "float32");
    if (batch * M * N === 0) return out;
    // Views taken after makeOutput: allocating may grow the heap and detach older views.
    const c = backend.typedArrayFromHeap(out) as Float32Array;
    addon.matmul(backend.typedArrayFromHeap(a) as Float32Array, backend.typedArrayFromHeap(b) as Float32Array, c, batchA, batchB, M, K, N, transposeA, transposeB);
    return out;
  };
}

let installed: string | undefined;
let wasmConfig: KernelConfig | undefined;
let wasmKernel: KernelFunc | undefined;
let nativeKernel: KernelFunc | undefined;
let usingNative = false;

/** The wasm backend's own BatchMatMul, kept when the native one replaces it (tests and benches compare the two). */
export function wasmBatchMatMul(): KernelFunc | undefined {
  return wasmKernel ?? tf.getKernel("BatchMatMul", "wasm")?.kernelFunc;
}

/**
 * Registers the native BatchMatMul and recurrences on the wasm backend
 * where the addon loads (idempotent). Returns what the products run on, for
 * benches and `--help`.
 */
export function installNativeAddon(): string {
  if (installed) return installed;
  const { addon, why } = loadNativeAddon();
  const original = tf.getKernel("BatchMatMul", "wasm");
  if (!addon || !original) return (installed = `wasm (native product ${why ?? "unavailable"})`);
  wasmConfig = original;
  wasmKernel = original.kernelFunc;
  nativeKernel = makeNativeBatchMatMul(addon, original.kernelFunc);
  const cells = installNativeCells(addon);
  useNative("native");
  return (installed = `native (${addon.vectorWidth} floats wide${cells ? ", recurrences too" : ""})`);
}

/**
 * Switches the wasm backend between the addon's kernels and its own (benches
 * compare them in one run): the product, and the recurrences against
 * tfjs ops. False where there is no native one.
 */
export function useNative(which: "native" | "wasm"): boolean {
  const kernelFunc = which === "native" ? nativeKernel : wasmKernel;
  if (!kernelFunc) return which === "wasm";
  usingNative = which === "native";
  setNativeCells(which === "native");
  tf.unregisterKernel("BatchMatMul", "wasm");
  // The wasm config's setupFunc too: it binds the wasm function the fallback calls.
  tf.registerKernel({ ...wasmConfig!, kernelFunc } as KernelConfig);
  return true;
}

/** The addon's recording loops while the native kernels are in use (useNative), else undefined: the JavaScript runs them. */
export function nativeRecording(): RecordingKernels | undefined {
  const { addon } = loadNativeAddon();
  return addon?.quantizeRows && addon.histogram && addon.outside && addon.equal && nativeKernel && usingNative ? (addon as RecordingKernels) : undefined;
}

/** The addon's dropout masks while the native kernels are in use (useNative), else undefined: the JavaScript draws them. */
export function nativeDropout(): Required<Pick<NativeAddon, "dropoutRows">> | undefined {
  const { addon } = loadNativeAddon();
  return addon?.dropoutRows && nativeKernel && usingNative ? (addon as Required<Pick<NativeAddon, "dropoutRows">>) : undefined;
}
