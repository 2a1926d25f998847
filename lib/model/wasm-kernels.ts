/**
 * Kernels for the tfjs wasm backend that make the LSTM's hot loop cheap.
 *
 * Why: in tfjs-backend-wasm 4.22, `Slice` first copies its *whole input* out of
 * the wasm heap (`readSync`) and then slices the copy, so taking one 50-row time
 * step out of a 5000-row batch tensor costs ~9 ms instead of microseconds;
 * `SplitV` does the same per piece; `GatherV2` gathers element by element (2.6 ms for 50 rows of 1024); and
 * `UnsortedSegmentSum` (the gradient of an embedding lookup) does not exist.
 * The replacements below read the input through a view of the heap and copy
 * only what the output needs. Everything else about the ops is unchanged
 * (same names, same semantics), so the rest of the code uses plain `tf.*` calls.
 */
import * as tf from "@tensorflow/tfjs";
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs";

/** The parts of the wasm backend these kernels use. */
interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

type Args = { inputs: Record<string, TensorInfo>; attrs: Record<string, unknown>; backend: WasmBackend };

function strides(shape: number[]): number[] {
  const s = new Array(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/** Slice for any rank, reading the input in place. Falls back for strings. */
function makeSlice(original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const x = inputs.x;
    if (x.dtype === "string") return original(args);
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin as number[], attrs.size as number[]);
    const out = backend.makeOutput(size, x.dtype);
    if (size.some((d) => d === 0)) return out;
    const xv = backend.typedArrayFromHeap(x);
    const ov = backend.typedArrayFromHeap(out);
    const xs = strides(x.shape);
    const rank = x.shape.length;
    if (tf.slice_util.isSliceContinous(x.shape, begin, size)) {
      const off = tf.slice_util.computeFlatOffset(begin, xs);
      ov.set(xv.subarray(off, off + ov.length));
      return out;
    }
    // Copy innermost runs; walk the outer indices like an odometer.
    const inner = size[rank - 1];
    const idx = new Array(rank - 1).fill(0);
    for (let o = 0; o < ov.length; o += inner) {
      let off = begin[rank - 1];
      for (let d = 0; d < rank - 1; d++) off += (begin[d] + idx[d]) * xs[d];
      ov.set(xv.subarray(off, off + inner), o);
      for (let d = rank - 2; d >= 0; d--) {
        if (++idx[d] < size[d]) break;
        idx[d] = 0;
      }
    }
    return out;
  };
}

/** SplitV as a series of in-place slices (the wasm original calls its own slow slice). */
function makeSplit(slice: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const x = inputs.x;
    const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs.numOrSizeSplits as number[] | number, axis);
    const begin = new Array(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = x.shape.slice();
      size[axis] = s;
      const out = slice({ inputs: { x }, attrs: { begin: begin.slice(), size }, backend } as never) as TensorInfo;
      begin[axis] += s;
      return out;
    });
  };
}

/** Gather of whole rows (axis 0, no batch dims) by copying rows; else the original. */
function makeGather(original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as Args;
    const { x, indices } = inputs;
    const axis = Number(attrs.axis ?? 0);
    if (axis !== 0 || Number(attrs.batchDims ?? 0) !== 0 || x.dtype === "string" || x.shape.length < 1) {
      return original(args);
    }
    const rows = x.shape[0];
    const row = x.shape.slice(1).reduce((a, b) => a * b, 1);
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    const xv = backend.typedArrayFromHeap(x);
    const iv = backend.typedArrayFromHeap(indices);
    const ov = backend.typedArrayFromHeap(out);
    for (let r = 0; r < iv.length; r++) {
      const i = iv[r];
      if (!(i >= 0 && i < rows)) throw new Error(`GatherV2: the index value ${i} is not in [0, ${rows - 1}]`);
      ov.set(xv.subarray(i * row, (i + 1) * row), r * row);
    }
    return out;
  };
}

/** Sum of rows of `x` into `numSegments` rows chosen by `segmentIds` (the embedding gradient). */
const unsortedSegmentSum: KernelFunc = (args) => {
  const { inputs, attrs, backend } = args as unknown as Args;
  const { x, segmentIds } = inputs;
  const n = Number(attrs.numSegments);
  const row = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([n, ...x.shape.slice(1)], x.dtype);
  const xv = backend.typedArrayFromHeap(x);
  const sv = backend.typedArrayFromHeap(segmentIds);
  const ov = backend.typedArrayFromHeap(out);
  ov.fill(0);
  for (let r = 0; r < sv.length; r++) {
    const s = sv[r];
    if (s < 0 || s >= n) continue; // as TensorFlow: out-of-range ids are dropped
    const o = s * row;
    const xo = r * row;
    for (let j = 0; j < row; j++) ov[o + j] += xv[xo + j];
  }
  return out;
};

/**
 * One LSTM step after the recurrent product, fused for inference (lstm.ts):
 * a = h·Wh and x = x·Wx + b for this step, both [B, 4H] with the g block
 * pre-scaled by 2, and c [B, H] → c', tanh(c') and h', each [B, H]:
 *   s = σ(a + x);  i, f, o = s's first three blocks;  g = 2·s_g − 1 (= tanh of the unscaled z_g)
 *   c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c')
 * One kernel instead of about ten tfjs ops, whose dispatch cost more than the
 * arithmetic at one stream (a user's own text, sampling). No gradient: training
 * keeps the plain ops and their tape.
 */
export const LSTM_STEP = "CellscopeLstmStep";

const lstmStep: KernelFunc = (args) => {
  const { inputs, backend } = args as unknown as Args;
  const { a, x, c } = inputs;
  const [B, G] = a.shape;
  const H = G / 4;
  const outs = [backend.makeOutput([B, H], "float32"), backend.makeOutput([B, H], "float32"), backend.makeOutput([B, H], "float32")];
  // Views after every allocation: a growing heap detaches the older ones.
  const av = backend.typedArrayFromHeap(a);
  const xv = backend.typedArrayFromHeap(x);
  const cv = backend.typedArrayFromHeap(c);
  const [c2, tc, h2] = outs.map((o) => backend.typedArrayFromHeap(o));
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  for (let b = 0; b < B; b++) {
    const r = b * G;
    for (let j = 0; j < H; j++) {
      const i = sig(av[r + j] + xv[r + j]);
      const f = sig(av[r + H + j] + xv[r + H + j]);
      const o = sig(av[r + 2 * H + j] + xv[r + 2 * H + j]);
      const g = 2 * sig(av[r + 3 * H + j] + xv[r + 3 * H + j]) - 1;
      const k = b * H + j;
      const cc = f * cv[k] + i * g;
      const t = Math.tanh(cc);
      c2[k] = cc;
      tc[k] = t;
      h2[k] = o * t;
    }
  }
  return outs;
};

/** Whether the fused LSTM step can run (the wasm backend, kernels installed). */
export function hasFusedLstmStep(): boolean {
  return tf.getBackend() === "wasm" && tf.getKernel(LSTM_STEP, "wasm") !== undefined;
}

let installed = false;

/** Replaces the slow kernels on the wasm backend (idempotent). */
export function installFastWasmKernels(): void {
  if (installed) return;
  installed = true;
  const replace = (name: string, make: (orig: KernelFunc) => KernelFunc) => {
    const orig = tf.getKernel(name, "wasm");
    if (!orig) return;
    tf.unregisterKernel(name, "wasm");
    tf.registerKernel({ ...orig, kernelFunc: make(orig.kernelFunc) } as KernelConfig);
  };
  replace("Slice", makeSlice);
  replace("SplitV", () => makeSplit(tf.getKernel("Slice", "wasm")!.kernelFunc));
  replace("GatherV2", makeGather);
  if (!tf.getKernel(LSTM_STEP, "wasm")) tf.registerKernel({ kernelName: LSTM_STEP, backendName: "wasm", kernelFunc: lstmStep });
  if (!tf.getKernel("UnsortedSegmentSum", "wasm")) {
    tf.registerKernel({ kernelName: "UnsortedSegmentSum", backendName: "wasm", kernelFunc: unsortedSegmentSum });
  }
}
