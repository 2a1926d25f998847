/**
 * Each cell's whole recurrence as two kernels of the native addon (native/lstm.c,
 * gru.c, rnn.c), registered on the wasm backend like its matrix product. Inputs
 * and outputs are the tensors the cell's tfjs version keeps on its tape, so the
 * network around a cell does not change (T steps, B streams, H units, time-major):
 *
 *   LSTM  forward {pre [T·B, 4H], Wh [H, 4H], h0, c0 [B, H]} → S [T·B, 4H] (one step's [B, 4H] without keepS), C, TC, Hs
 *         backward {S, C, TC, c0, dh [T·B, H], Wh}            → dPre [T·B, 4H]
 *   GRU   forward {pre [T·B, 3H], Wh [H, 3H], bhn [H], h0}    → R, Z, N, AN, Hs
 *         backward {R, Z, N, AN, Hs, h0, dh, Wh}              → dA, dPre [T·B, 3H]
 *   RNN   forward {pre [T·B, H], Wh [H, H], h0}               → Hs
 *         backward {Hs, dh, Wh}                               → dPre [T·B, H]
 *
 * Why: run as tfjs ops, an LSTM step is about 25 small kernels whose dispatch
 * cost a third of a training step; natively a step is one product (with Wh
 * packed once per chunk) and one vectorized pass over the gates. No kernel has
 * a tfjs gradient: training runs each cell's own backward, which calls these.
 */
import * as tf from "@tensorflow/tfjs";
import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs";
import type { NativeAddon } from "./native-addon.ts";

interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}
type Args = { inputs: Record<string, TensorInfo>; attrs: Record<string, unknown>; backend: WasmBackend };
type Sizes = { T: number; B: number; H: number };

/** One kernel: its inputs in the addon's argument order, where B, H and T come from, and its outputs' shapes. */
interface KernelSpec {
  name: string;
  fn: keyof NativeAddon;
  inputs: string[];
  /** The [B, H] input; without one (the RNN backward), B is the `batch` attribute and H is Wh's. */
  state?: string;
  rows: string;
  outputs: (s: Sizes, attrs: Record<string, unknown>) => number[][];
  /** Integers after T, B, H (the LSTM forward's keepS). */
  flags?: (attrs: Record<string, unknown>) => number[];
}

const rowsOf = (k: number) => (s: Sizes) => [s.T * s.B, k * s.H];

export const NATIVE_KERNELS = {
  lstmForward: { name: "CellscopeLstmForward", fn: "lstmForward", inputs: ["pre", "Wh", "h0", "c0"], state: "h0", rows: "pre", outputs: (s, a) => [[(a.keepS ? s.T : 1) * s.B, 4 * s.H], rowsOf(1)(s), rowsOf(1)(s), rowsOf(1)(s)], flags: (a) => [a.keepS ? 1 : 0] },
  lstmBackward: { name: "CellscopeLstmBackward", fn: "lstmBackward", inputs: ["S", "C", "TC", "c0", "dh", "Wh"], state: "c0", rows: "dh", outputs: (s) => [rowsOf(4)(s)] },
  gruForward: { name: "CellscopeGruForward", fn: "gruForward", inputs: ["pre", "Wh", "bhn", "h0"], state: "h0", rows: "pre", outputs: (s) => [0, 1, 2, 3, 4].map(() => rowsOf(1)(s)) },
  gruBackward: { name: "CellscopeGruBackward", fn: "gruBackward", inputs: ["R", "Z", "N", "AN", "Hs", "h0", "dh", "Wh"], state: "h0", rows: "dh", outputs: (s) => [rowsOf(3)(s), rowsOf(3)(s)] },
  rnnForward: { name: "CellscopeRnnForward", fn: "rnnForward", inputs: ["pre", "Wh", "h0"], state: "h0", rows: "pre", outputs: (s) => [rowsOf(1)(s)] },
  rnnBackward: { name: "CellscopeRnnBackward", fn: "rnnBackward", inputs: ["Hs", "dh", "Wh"], rows: "dh", outputs: (s) => [rowsOf(1)(s)] },
} satisfies Record<string, KernelSpec>;

function makeKernel(spec: KernelSpec, run: (...args: (Float32Array | number)[]) => void): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const B = spec.state ? inputs[spec.state].shape[0] : Number(attrs.batch);
    const H = spec.state ? inputs[spec.state].shape[1] : inputs.Wh.shape[0];
    const T = B ? inputs[spec.rows].shape[0] / B : 0;
    const outs = spec.outputs({ T, B, H }, attrs).map((shape) => backend.makeOutput(shape, "float32"));
    if (T * B * H === 0) return outs;
    // Views after every allocation: a growing heap detaches the older ones.
    const view = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
    run(...spec.inputs.map((n) => view(inputs[n])), ...outs.map(view), T, B, H, ...(spec.flags?.(attrs) ?? []));
    return outs;
  };
}

let on = false;

/** Registers every kernel on the wasm backend when the addon has them all (idempotent); whether it did. */
export function installNativeCells(addon: NativeAddon): boolean {
  const specs: KernelSpec[] = Object.values(NATIVE_KERNELS);
  if (!specs.every((s) => typeof addon[s.fn] === "function")) return false;
  for (const spec of specs) {
    const fn = addon[spec.fn] as (...args: (Float32Array | number)[]) => void;
    if (!tf.getKernel(spec.name, "wasm")) tf.registerKernel({ kernelName: spec.name, backendName: "wasm", kernelFunc: makeKernel(spec, fn) });
  }
  return (on = true);
}

/** Turns the native recurrences on or off (benches and tests compare them with the tfjs ops in one run). */
export function setNativeCells(enabled: boolean): void {
  on = enabled && tf.getKernel(NATIVE_KERNELS.lstmForward.name, "wasm") !== undefined;
}

/** Whether the cells run their recurrences natively: the wasm backend, with the kernels installed and on. */
export function hasNativeCells(): boolean {
  return on && tf.getBackend() === "wasm";
}

/** Runs one of the kernels; its outputs in order. */
export function runNative(kernel: keyof typeof NATIVE_KERNELS, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown> = {}): tf.Tensor2D[] {
  return tf.engine().runKernel(NATIVE_KERNELS[kernel].name, inputs as never, attrs as never) as unknown as tf.Tensor2D[];
}
