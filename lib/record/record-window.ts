/**
 * One window of a recording (a few stored chunks run as one batch of streams):
 * its buffers, and how a piece of the model's run lands in them.
 *
 *   bytes[u · stride + t] = round((x_u(t) − lo) · 255 / (hi − lo)), clamped to 0…255
 *
 * for unit u (the recording's `units` order: kind, then layer, then index) at
 * window position t, with [lo, hi] the unit kind's range; nll[t] = −log p(next
 * character); top[t · TOP_N + k] the k-th likeliest next character and its
 * probability × 255. The buffers are SharedArrayBuffers, so worker threads
 * (./record-workers.ts) fill their streams' positions in place.
 */
import type { RunChunk } from "../model/run-streams.ts";
import { TOP_N } from "../store/activations.ts";
import { kindRange, type UnitKind } from "../store/quantize.ts";
import { nativeRecording } from "../model/native-addon.ts";

/** What every part of a recording quantizes the same way. */
export interface WindowShape {
  kinds: UnitKind[];
  layers: number;
  hidden: number;
  vocab: number;
  /** Positions per unit row: the longest window. */
  stride: number;
}

export interface WindowBuffers {
  /** [units × stride] bytes, unit-major. */
  bytes: Uint8Array;
  /** [stride] −log p(next character). */
  nll: Float32Array;
  /** [stride × TOP_N] ids and probabilities × 255. */
  topIds: Uint8Array;
  topProbs: Uint8Array;
}

/** The SharedArrayBuffers behind a window's buffers: what a worker thread is sent once. */
export interface SharedWindow {
  bytes: SharedArrayBuffer;
  nll: SharedArrayBuffer;
  topIds: SharedArrayBuffer;
  topProbs: SharedArrayBuffer;
}

export function allocWindow(shape: WindowShape): SharedWindow {
  const units = shape.kinds.length * shape.layers * shape.hidden;
  return {
    bytes: new SharedArrayBuffer(units * shape.stride),
    nll: new SharedArrayBuffer(shape.stride * 4),
    topIds: new SharedArrayBuffer(shape.stride * TOP_N),
    topProbs: new SharedArrayBuffer(shape.stride * TOP_N),
  };
}

export function windowViews(w: SharedWindow): WindowBuffers {
  return { bytes: new Uint8Array(w.bytes), nll: new Float32Array(w.nll), topIds: new Uint8Array(w.topIds), topProbs: new Uint8Array(w.topProbs) };
}

// topN's scratch, reused: two small typed arrays allocated per position cost more than the search.
const best = new Float64Array(TOP_N);
const bestId = new Int32Array(TOP_N);

/** Writes the TOP_N most likely next characters of row `row` of a [rows × V] log-probability array at position `at`, in one pass. */
function topN(logp: Float32Array, row: number, V: number, ids: Uint8Array, probs: Uint8Array, at: number): void {
  best.fill(-Infinity);
  const base = row * V;
  for (let v = 0; v < V; v++) {
    const x = logp[base + v];
    if (x <= best[TOP_N - 1]) continue;
    let j = TOP_N - 1;
    while (j > 0 && best[j - 1] < x) {
      best[j] = best[j - 1];
      bestId[j] = bestId[j - 1];
      j--;
    }
    best[j] = x;
    bestId[j] = v;
  }
  for (let k = 0; k < TOP_N; k++) {
    ids[at * TOP_N + k] = bestId[k];
    probs[at * TOP_N + k] = Math.round(Math.exp(best[k]) * 255);
  }
}

/**
 * Quantizes `count` rows of a [rows × H] array, row r0 + j·rstep for j < count,
 * into unit rows u < H of `bytes` at d0 + u·stride + j (the equation at the
 * top, with scale = 255 / (hi − lo)). The addon's loop where it is built
 * (native/record.c, the same bytes), else this one.
 */
export function quantizeRows(src: Float32Array, r0: number, rstep: number, count: number, H: number, lo: number, scale: number, bytes: Uint8Array, d0: number, stride: number, native = nativeRecording()): void {
  if (native) return native.quantizeRows(src, r0, rstep, count, H, lo, scale, bytes, d0, stride);
  // Math.round(x) is floor(x + 0.5), here taken as (x + 0.5) | 0 once x + 0.5 is known to lie in
  // (0, 256): the same bytes, NaN included (0), at a third of the time. Rows are read whole and
  // each unit's row written a byte a step: the H rows being written stay in cache.
  for (let j = 0; j < count; j++) {
    const base = (r0 + j * rstep) * H;
    for (let u = 0, d = d0 + j; u < H; u++, d += stride) {
      const x = (src[base + u] - lo) * scale + 0.5;
      bytes[d] = x >= 256 ? 255 : x > 0 ? x | 0 : 0;
    }
  }
}

/** Quantizes one piece of the run, which starts at window position `at`, into the window's buffers. */
export function keepPiece(shape: WindowShape, buf: WindowBuffers, piece: RunChunk, at: number): void {
  const { kinds, layers, hidden: H, stride } = shape;
  const native = nativeRecording();
  for (let ki = 0; ki < kinds.length; ki++) {
    const range = kindRange(kinds[ki]);
    const scale = 255 / (range.hi - range.lo);
    for (let l = 0; l < layers; l++) {
      const unit0 = (ki * layers + l) * H;
      quantizeRows(piece.layers![l][kinds[ki]], piece.row0, piece.rowStep, piece.length, H, range.lo, scale, buf.bytes, unit0 * stride + at, stride, native);
    }
  }
  buf.nll.set(piece.nll, at);
  for (let j = 0; j < piece.length; j++) topN(piece.logp!, piece.row0 + j * piece.rowStep, shape.vocab, buf.topIds, buf.topProbs, at + j);
}
