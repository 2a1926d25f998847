/**
 * Runs a model over a long stretch of text fast: the stretch is cut into S
 * contiguous streams run side by side as one batch, and each stream first
 * reads `warmup` characters of the text before its start so that it begins
 * with a realistic state instead of a cold one. Results come back as pieces
 * (start, length) that together cover the stretch once, as if one stream had
 * read it all; pieces of different streams interleave, so consumers place them
 * by position.
 *
 * (A stream whose start is closer than `warmup` to the corpus start reads what
 * text there is, from position 0.)
 */
import * as tf from "@tensorflow/tfjs";
import type { Tensor2D } from "@tensorflow/tfjs";
import { zeroState, type CellState, type RecurrentCell } from "./cell.ts";
import { forward, type ForwardResult } from "./network.ts";
import type { Params } from "./params.ts";

export interface RunOptions {
  streams?: number;
  warmup?: number;
  /** Steps per forward call. */
  steps?: number;
  /**
   * Positions per stream, instead of `streams`: the streams are then as many as
   * the stretch needs. A part of a longer run (a recording split among workers)
   * keeps the whole run's stream boundaries this way.
   */
  streamLen?: number;
  /** Recorded kinds to return besides h (the cell's `records`; LSTM: "c", "i", "f", "o"). */
  series?: readonly string[];
}

/**
 * One chunk of results for text positions [start, start + length). `logp` and
 * `layers` are the whole batch's arrays, not copies: position start + j is
 * their row `row0 + j·rowStep` (pieceRow reads it). Why: copying each
 * stream's rows out was one more pass over every value recorded, and most
 * of recording's garbage.
 */
export interface RunChunk {
  start: number;
  length: number;
  /** −log p(next char) for each position whose next character is inside `ids`, else NaN. */
  nll: Float32Array;
  /** log-probabilities of the next character, [rows, vocab] (row-major). */
  logp?: Float32Array;
  /** Per layer and series name ("h", "c", …): [rows, hidden] row-major. */
  layers?: Record<string, Float32Array>[];
  row0: number;
  rowStep: number;
  hidden: number;
  vocab: number;
}

/** Series `k` of layer `l` at the chunk's position start + j: `hidden` values (a view). */
export function pieceRow(c: RunChunk, l: number, k: string, j: number): Float32Array {
  const row = c.row0 + j * c.rowStep;
  return c.layers![l][k].subarray(row * c.hidden, (row + 1) * c.hidden);
}

/**
 * How runStreams splits n positions: `streams` contiguous stretches of `len`
 * positions (the last may be shorter), stream s starting at s·len.
 */
export function streamLayout(n: number, opts: Pick<RunOptions, "streams" | "steps" | "streamLen"> = {}): { streams: number; len: number } {
  if (opts.streamLen) return { streams: Math.ceil(n / opts.streamLen), len: opts.streamLen };
  const streams = Math.max(1, Math.min(opts.streams ?? 50, Math.ceil(n / (opts.steps ?? 100))));
  return { streams, len: Math.ceil(n / streams) };
}

/**
 * Runs positions [start, end) of `ids` and calls `onChunk` with each piece. The model reads ids[p] at position p and predicts ids[p + 1].
 */
export async function runStreams(
  cell: RecurrentCell<unknown>,
  params: Params,
  ids: Int32Array,
  start: number,
  end: number,
  opts: RunOptions & { wantLogp?: boolean; wantLayers?: boolean },
  onChunk: (c: RunChunk) => void | Promise<void>,
): Promise<void> {
  const n = end - start;
  if (n <= 0) return;
  const T = opts.steps ?? 100;
  const warm = opts.warmup ?? 500;
  const { streams: S, len } = streamLayout(n, opts);
  const L = params.layers.length;
  const H = params.layers[0].Wh.shape[0];
  const V = params.Wy.shape[1];
  const series = opts.series ?? [];
  let state = Array.from({ length: L }, () => zeroState(cell, S, H));
  const streamStart = (s: number) => start + s * len;
  const total = warm + len;
  for (let k0 = 0; k0 < total; k0 += T) {
    const steps = Math.min(T, total - k0);
    const inputs = new Int32Array(steps * S);
    for (let t = 0; t < steps; t++) {
      for (let s = 0; s < S; s++) {
        const p = Math.min(Math.max(0, streamStart(s) - warm + k0 + t), ids.length - 1);
        inputs[t * S + s] = ids[p];
      }
    }
    const wantOut = k0 + steps > warm;
    const res = tf.tidy(() => {
      const r = forward(cell, params, inputs, steps, state, wantOut && opts.wantLayers ? series : []);
      return { r, keep: r.state } as unknown as tf.TensorContainer;
    }) as unknown as { r: ForwardResult; keep: CellState[] };
    tf.dispose(state.flatMap((st) => Object.values(st)));
    state = res.keep;
    const r = res.r;
    if (wantOut) {
      const logp = r.logp.dataSync() as Float32Array;
      const layerData = opts.wantLayers
        ? r.layers.map((lay) => {
            const o: Record<string, Float32Array> = { h: lay.h.dataSync() as Float32Array };
            for (const k of series) o[k] = (lay.series![k] as Tensor2D).dataSync() as Float32Array;
            return o;
          })
        : undefined;
      // Each stream's positions inside this chunk, stream by stream (= text order): rows t·S + s.
      const tFirst = Math.max(0, warm - k0);
      for (let s = 0; s < S; s++) {
        const first = streamStart(s) + (k0 + tFirst - warm);
        const count = Math.min(steps - tFirst, end - first);
        if (count <= 0) continue;
        const nll = new Float32Array(count);
        for (let j = 0; j < count; j++) {
          const p = first + j;
          nll[j] = p + 1 < ids.length ? -logp[((tFirst + j) * S + s) * V + ids[p + 1]] : NaN;
        }
        await onChunk({
          start: first,
          length: count,
          nll,
          logp: opts.wantLogp ? logp : undefined,
          layers: layerData,
          row0: tFirst * S + s,
          rowStep: S,
          hidden: H,
          vocab: V,
        });
      }
    }
    tf.dispose([r.logp, ...r.layers.flatMap((lay) => [lay.h, ...Object.values(lay.series ?? {})])]);
  }
  tf.dispose(state.flatMap((st) => Object.values(st)));
}
