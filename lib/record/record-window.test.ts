/**
 * A window's bytes: quantizeRows (the transpose and quantization of one
 * stream's rows) against a float64 reference, in JavaScript and in the addon
 * (native/record.c) where it is built, and keepPiece on a batch's rows in place.
 */
import { describe, expect, it } from "vitest";
import { allocWindow, keepPiece, quantizeRows, windowViews, type WindowShape } from "./record-window.ts";
import { kindRange, quantize } from "../store/quantize.ts";
import { Random } from "../model/random.ts";
import { loadNativeAddon } from "../model/native-addon.ts";
import { TOP_N } from "../store/activations.ts";

const { addon } = loadNativeAddon();
const native = addon as Parameters<typeof quantizeRows>[10];

/** A [rows × H] array with values across and beyond [−1, 1], and the values quantization must not trip on. */
function rowsOf(rows: number, H: number, seed: number): Float32Array {
  const rng = new Random(seed);
  const src = Float32Array.from({ length: rows * H }, () => rng.uniform(-1.3, 1.3));
  const edges = [NaN, Infinity, -Infinity, -1, 1, 0, -1 + 1 / 255, 1 - 0.5 / 127.5, 1e-30, -0.0039215];
  edges.forEach((x, i) => (src[(i * 37) % src.length] = x));
  return src;
}

describe("quantizeRows", () => {
  const H = 19, S = 7, steps = 11, stride = 40;
  const src = rowsOf(steps * S, H, 1);
  const r = kindRange("c");
  const scale = 255 / (r.hi - r.lo);
  /** What stream s's rows must become: each value quantized alone (lib/store/quantize.ts), NaN as 0. */
  const reference = (s: number, at: number) => {
    const want = new Uint8Array(H * stride);
    for (let j = 0; j < steps; j++) for (let u = 0; u < H; u++) {
      const x = src[(j * S + s) * H + u];
      want[u * stride + at + j] = quantize(x, r) | 0; // | 0: NaN as 0, −0 as 0
    }
    return want;
  };

  for (const [name, kernels] of [["JavaScript", undefined], ["native", native]] as const) {
    it.skipIf(name === "native" && !native)(`${name}: each stream's rows land in its units' rows, quantized as one value at a time would be`, () => {
      for (const s of [0, 3, 6]) {
        const at = 5 + s;
        const got = new Uint8Array(new SharedArrayBuffer(H * stride));
        quantizeRows(src, s, S, steps, H, r.lo, scale, got, at, stride, kernels);
        expect([...got], `stream ${s}`).toEqual([...reference(s, at)]);
      }
    });
  }

  it.skipIf(!native)("native: refuses arrays shorter than their shape instead of reading or writing past them", () => {
    const dst = new Uint8Array(H * stride);
    expect(() => native!.quantizeRows(src, S, S, steps, H, r.lo, scale, dst, 0, stride)).toThrow(/shorter/); // the last row past src
    expect(() => native!.quantizeRows(src, 0, S, steps, H, r.lo, scale, dst, stride - steps + 1, stride)).toThrow(/shorter/);
    expect(() => native!.quantizeRows(src, 0, S, steps, H, r.lo, scale, new Float32Array(4) as unknown as Uint8Array, 0, stride)).toThrow(/Uint8Array/);
    expect(() => native!.histogram(new Uint8Array(3), new Uint32Array(255))).toThrow(/256/);
  });
});

describe("keepPiece", () => {
  it("quantizes a batch's rows in place and keeps each position's top guesses", () => {
    const H = 8, V = 12, S = 3, steps = 5, layers = 2;
    const shape: WindowShape = { kinds: ["c", "h"], layers, hidden: H, vocab: V, stride: 30 };
    const buf = windowViews(allocWindow(shape));
    const batch = (seed: number) => rowsOf(steps * S, H, seed);
    const lay = [{ c: batch(2), h: batch(3) }, { c: batch(4), h: batch(5) }];
    const rng = new Random(6);
    const logp = Float32Array.from({ length: steps * S * V }, () => Math.log(rng.uniform(0.001, 1)));
    // Stream 1's rows from step 2 on: rows 2·S + 1, 3·S + 1, 4·S + 1, at window positions 9, 10, 11.
    const piece = { start: 100, length: 3, nll: Float32Array.of(1, 2, 3), logp, layers: lay, row0: 2 * S + 1, rowStep: S, hidden: H, vocab: V };
    keepPiece(shape, buf, piece, 9);
    shape.kinds.forEach((kind, ki) => {
      for (let l = 0; l < layers; l++) for (let u = 0; u < H; u++) for (let j = 0; j < 3; j++) {
        const x = lay[l][kind as "c" | "h"][((2 + j) * S + 1) * H + u];
        expect(buf.bytes[((ki * layers + l) * H + u) * shape.stride + 9 + j]).toBe(quantize(x, kindRange(kind)) | 0);
      }
    });
    expect([...buf.nll.subarray(9, 12)]).toEqual([1, 2, 3]);
    for (let j = 0; j < 3; j++) {
      const row = Array.from(logp.subarray(((2 + j) * S + 1) * V, ((2 + j) * S + 2) * V));
      const want = [...row.keys()].sort((a, b) => row[b] - row[a]).slice(0, TOP_N);
      expect([...buf.topIds.subarray((9 + j) * TOP_N, (10 + j) * TOP_N)]).toEqual(want);
    }
    expect(buf.bytes.subarray(0, 9).every((b) => b === 0)).toBe(true); // nothing before the piece
  });
});
