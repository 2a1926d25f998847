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
import { installNativeCells, setNativeCells } from "./native-cells.ts";
import { loadNativeAddon, type NativeAddon } from "./native-addon.ts";

interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
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

/** The addon's dropout masks while the native kernels are in use (useNative), else undefined: the JavaScript draws them. */
export function nativeDropout(): Required<Pick<NativeAddon, "dropoutRows">> | undefined {
  const { addon } = loadNativeAddon();
  return addon?.dropoutRows && nativeKernel && usingNative ? (addon as Required<Pick<NativeAddon, "dropoutRows">>) : undefined;
}
