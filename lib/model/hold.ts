/**
 * Running a model with units held at chosen values: a knock-out (a unit held
 * at 0 or at its mean) or a clamp.
 *
 *   at every step, as soon as the cell computes a quantity a unit is held in
 *   (LSTM: its memory c or h; GRU, RNN: h), that unit's entry is set to the
 *   value, before anything reads it: the rest of the step, the layer above,
 *   the output and the next step.
 *
 * It runs each cell's own equations (cell.reference) a step at a time, so it
 * works for every registered cell and needs nothing from the fast path; with
 * no unit held it computes what the fast path computes (hold.test.ts).
 *
 * The text is cut like lib/model/run-streams.ts cuts it: S streams of `len`
 * positions run side by side, each first reading `warmup` characters before
 * its start.
 */
import * as tf from "@tensorflow/tfjs";
import type { Tensor, Tensor2D } from "@tensorflow/tfjs";
import { zeroState, type Hold, type RecurrentCell } from "./cell.ts";
import { embed } from "./network.ts";
import type { Params } from "./params.ts";
import { tfOps } from "./reference.ts";
import type { UnitKind } from "./unit-kinds.ts";

/** One unit held at a value on its recorded scale (tanh(c) for an LSTM's c units). */
export interface HeldUnit {
  kind: UnitKind;
  layer: number;
  index: number;
  value: number;
}

export interface HeldRunOptions {
  /** Positions per stream (default 500). */
  len?: number;
  /** Characters each stream reads before its start (default 500). */
  warmup?: number;
}

/** A cell that cannot hold a kind says so (e.g. an LSTM's gates). */
export function checkHolds(cell: RecurrentCell<unknown>, layers: number, hidden: number, held: readonly HeldUnit[]): void {
  for (const u of held) {
    if (!cell.holds[u.kind]) throw new Error(`a ${cell.name} cannot hold ${u.kind} units (it holds ${Object.keys(cell.holds).join(" and ")})`);
    if (u.layer < 0 || u.layer >= layers || u.index < 0 || u.index >= hidden) throw new Error(`no unit ${u.kind}:${u.layer}:${u.index} in a ${layers}×${hidden} model`);
    if (!Number.isFinite(u.value)) throw new Error(`the value to hold ${u.kind}:${u.layer}:${u.index} at must be a number`);
  }
}

/**
 * The layer's hold: for each held kind, v ⊙ keep + set, where keep is 0 at the
 * held units and 1 elsewhere and set holds their values (on the held
 * quantity's scale), both [H], broadcast over the streams.
 */
function layerHold(cell: RecurrentCell<unknown>, hidden: number, held: readonly HeldUnit[]): Hold {
  const byKind = new Map<string, { keep: Tensor; set: Tensor }>();
  for (const kind of new Set(held.map((u) => u.kind))) {
    const keep = new Float32Array(hidden).fill(1);
    const set = new Float32Array(hidden);
    for (const u of held.filter((x) => x.kind === kind)) {
      keep[u.index] = 0;
      set[u.index] = cell.holds[kind]!(u.value);
    }
    byKind.set(kind, { keep: tf.tensor1d(keep), set: tf.tensor1d(set) });
  }
  return <V>(kind: UnitKind, v: V): V => {
    const k = byKind.get(kind);
    return k ? (tf.add(tf.mul(v as Tensor, k.keep), k.set) as V) : v;
  };
}

/**
 * −log p(ids[p + 1]) for every position p in [start, end) (NaN where p + 1 is
 * past the text), with `held` held throughout. [end − start]
 */
export function runHeld(cell: RecurrentCell<unknown>, params: Params, ids: Int32Array, start: number, end: number, held: readonly HeldUnit[], opts: HeldRunOptions = {}): Float32Array {
  const n = end - start;
  const out = new Float32Array(Math.max(0, n)).fill(NaN);
  if (n <= 0) return out;
  const len = opts.len ?? 500;
  const warm = opts.warmup ?? 500;
  const L = params.layers.length;
  const H = params.layers[0].Wh.shape[0];
  const V = params.Wy.shape[1];
  checkHolds(cell, L, H, held);
  const S = Math.ceil(n / len);
  const T = warm + len;
  // Step t of stream s reads the text at streamStart(s) − warm + t (clipped to the text).
  const pos = (s: number, t: number) => Math.min(Math.max(0, start + s * len - warm + t), ids.length - 1);
  const inputs = new Int32Array(T * S);
  for (let t = 0; t < T; t++) for (let s = 0; s < S; s++) inputs[t * S + s] = ids[pos(s, t)];

  const logp = tf.tidy(() => {
    let x: Tensor2D | null = null;
    params.layers.forEach((layer, l) => {
      const pre = l === 0 ? embed(layer, tf.tensor1d(inputs, "int32")) : (tf.add(tf.matMul(x!, layer.Wx), layer.b) as Tensor2D);
      const hold = layerHold(cell, H, held.filter((u) => u.layer === l));
      const extra = layer.extra ?? {};
      let state: Record<string, Tensor> = zeroState(cell, S, H);
      const hs: Tensor2D[] = [];
      for (let t = 0; t < T; t++) {
        // Each step's intermediates are freed as it ends; its new state (h included) is kept.
        const next = tf.tidy(() => {
          const xb = cell.gates === 1 ? [tf.slice(pre, [t * S, 0], [S, -1])] : tf.split(tf.slice(pre, [t * S, 0], [S, -1]), cell.gates, 1);
          const a = tf.matMul(state.h as Tensor2D, layer.Wh);
          const ab = cell.gates === 1 ? [a] : tf.split(a, cell.gates, 1);
          return cell.reference(tfOps, xb, ab, state, extra, hold).state as tf.TensorContainer;
        }) as Record<string, Tensor>;
        if (t > 0) tf.dispose(Object.entries(state).filter(([k]) => k !== "h").map(([, v]) => v));
        state = next;
        hs.push(next.h as Tensor2D);
      }
      x = tf.concat(hs) as Tensor2D;
    });
    return tf.logSoftmax(tf.add(tf.matMul(x!, params.Wy), params.by)) as Tensor2D;
  });
  const lp = logp.dataSync() as Float32Array;
  logp.dispose();
  for (let s = 0; s < S; s++) {
    for (let t = warm; t < T; t++) {
      const p = start + s * len + (t - warm);
      if (p >= end) break;
      if (p + 1 < ids.length) out[p - start] = -lp[(t * S + s) * V + ids[p + 1]];
    }
  }
  return out;
}
