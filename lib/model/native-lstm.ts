/**
 * A whole LSTM layer's recurrence as two kernels of the native addon
 * (native/lstm.c), registered on the wasm backend like its matrix product:
 *
 *   CellscopeLstmForward  {pre [T·B, 4H], Wh [H, 4H], h0, c0 [B, H]} → S, C, TC, Hs
 *   CellscopeLstmBackward {S, C, TC, c0, dh [T·B, H], Wh}            → dPre [T·B, 4H]
 *
 * S = [i, f, o, σ(2z_g)] per step ([T·B, 4H], or one step's [B, 4H] when
 * `keepS` is false), C = c, TC = tanh(c), Hs = h ([T·B, H]): the tape lstm.ts
 * keeps, so the network around it does not change. Why: run as tfjs ops, a step
 * is about 25 small kernels whose dispatch cost a third of a training step.
 * Neither kernel has a tfjs gradient: training runs lstm.ts's own backward.
 */
import * as tf from "@tensorflow/tfjs";
import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs";
import type { NativeAddon } from "./native-matmul.ts";

export const LSTM_FORWARD = "CellscopeLstmForward";
export const LSTM_BACKWARD = "CellscopeLstmBackward";

interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}
type Args = { inputs: Record<string, TensorInfo>; attrs: Record<string, unknown>; backend: WasmBackend };

const f32 = (backend: WasmBackend, t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;

function forwardKernel(addon: Required<NativeAddon>): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const { pre, Wh, h0, c0 } = inputs;
    const [B, H] = h0.shape;
    const T = B ? pre.shape[0] / B : 0;
    const keepS = Boolean(attrs.keepS);
    const outs = [backend.makeOutput([(keepS ? T : 1) * B, 4 * H], "float32"), ...[0, 1, 2].map(() => backend.makeOutput([T * B, H], "float32"))];
    if (T * B * H === 0) return outs;
    // Views after every allocation: a growing heap detaches the older ones.
    const [S, C, TC, Hs] = outs.map((o) => f32(backend, o));
    addon.lstmForward(f32(backend, pre), f32(backend, Wh), f32(backend, h0), f32(backend, c0), S, C, TC, Hs, T, B, H, keepS ? 1 : 0);
    return outs;
  };
}

function backwardKernel(addon: Required<NativeAddon>): KernelFunc {
  return (args) => {
    const { inputs, backend } = args as unknown as Args;
    const { S, C, TC, c0, dh, Wh } = inputs;
    const [B, H] = c0.shape;
    const T = B ? dh.shape[0] / B : 0;
    const out = backend.makeOutput([T * B, 4 * H], "float32");
    if (T * B * H === 0) return out;
    const v = (t: TensorInfo) => f32(backend, t);
    addon.lstmBackward(v(S), v(C), v(TC), v(c0), v(dh), v(Wh), v(out), T, B, H);
    return out;
  };
}

let on = false;

/** Registers both kernels on the wasm backend when the addon has them (idempotent); whether it did. */
export function installNativeLstm(addon: NativeAddon): boolean {
  if (!addon.lstmForward || !addon.lstmBackward) return false;
  const full = addon as Required<NativeAddon>;
  if (!tf.getKernel(LSTM_FORWARD, "wasm")) tf.registerKernel({ kernelName: LSTM_FORWARD, backendName: "wasm", kernelFunc: forwardKernel(full) });
  if (!tf.getKernel(LSTM_BACKWARD, "wasm")) tf.registerKernel({ kernelName: LSTM_BACKWARD, backendName: "wasm", kernelFunc: backwardKernel(full) });
  return (on = true);
}

/** Turns the native recurrence on or off (benches compare it with the tfjs ops in one run). */
export function setNativeLstm(enabled: boolean): void {
  on = enabled && tf.getKernel(LSTM_FORWARD, "wasm") !== undefined;
}

/** Whether lstm.ts runs its recurrence natively: the wasm backend with the kernels installed and on. */
export function hasNativeLstm(): boolean {
  return on && tf.getBackend() === "wasm";
}
