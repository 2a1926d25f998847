/**
 * The native addon (native/, built at `npm install` by scripts/build-native.mjs):
 * what it exports, and loading it. Without tfjs, so the store's and search's
 * readers (a cold `cellscope search`) can use its loops without loading the
 * engine; lib/model/native-matmul.ts registers its kernels with the engine.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

type NativeCellFn = (...args: (Float32Array | number)[]) => void;

/** The addon: c = op(a)·op(b) per batch and each cell's recurrence (native-cells.ts), on views of the wasm heap; the dropout masks; recording's loops. */
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

export type RecordingKernels = Required<Pick<NativeAddon, "quantizeRows" | "histogram" | "outside" | "equal">>;

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

/**
 * The addon's recording loops (native/record.c: quantization, a unit's histogram and
 * extremes), or undefined where it is not built or CELLSCOPE_NATIVE=0: the JavaScript runs them.
 */
export function nativeRecording(): RecordingKernels | undefined {
  const { addon } = loadNativeAddon();
  return addon?.quantizeRows && addon.histogram && addon.outside && addon.equal ? (addon as RecordingKernels) : undefined;
}
