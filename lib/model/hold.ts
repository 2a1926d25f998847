/**
 * Running a model with units held at chosen values: a knock-out (a unit held
 * at 0 or at its mean) or a clamp.
 *
 *   at every step, as soon as the cell computes a quantity a unit is held in
 *   (LSTM: its memory c or h; GRU, RNN: h), that unit's entry is set to the
 *   value, before anything reads it: the rest of the step, the layer above,
 *   the output and the next step.
 *
 * Every cell passes what it can hold through the same hook in its fast path
 * (cell.forward) and in its equations (cell.reference): hold.test.ts checks
 * the one against a float64 loop over the other, for every cell.
 *
 * The text is cut like lib/model/run-streams.ts cuts it: S streams of `len`
 * positions run side by side, each first reading `warmup` characters before
 * its start.
 */
import * as tf from "@tensorflow/tfjs";
import type { Tensor, Tensor2D } from "@tensorflow/tfjs";
import { zeroState, type CellState, type Hold, type RecurrentCell } from "./cell.ts";
import { embed } from "./network.ts";
import type { Params } from "./params.ts";
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
  /** The free run of the same stretch and layout from an earlier call (its `freeRun`): only the held layers run. */
  free?: FreeRun;
  /** Return the free run (`freeRun`) for later calls; the caller disposes it. */
  keepFree?: boolean;
}

/**
 * What the free run of a stretch leaves for knocking out other units over the
 * same stretch: its losses and each layer's output but the last ([T·S, H],
 * the input of the layer above). A knock-out of a unit in layer l then runs
 * layers l… only.
 */
export interface FreeRun {
  layout: string;
  nll: Float32Array;
  outputs: Tensor2D[];
}

/** A cell that cannot hold a kind says so (e.g. an LSTM's gates). */
export function checkHolds(cell: RecurrentCell<unknown>, layers: number, hidden: number, held: readonly HeldUnit[]): void {
  for (const u of held) {
    if (!cell.holds[u.kind]) throw new Error(`a ${cell.name} cannot hold ${u.kind} units (it holds ${Object.keys(cell.holds).join(" and ")})`);
    if (u.layer < 0 || u.layer >= layers || u.index < 0 || u.index >= hidden) throw new Error(`no unit ${u.kind}:${u.layer}:${u.index} in a ${layers}×${hidden} model`);
    if (!Number.isFinite(u.value)) throw new Error(`the value to hold ${u.kind}:${u.layer}:${u.index} at must be a number`);
  }
}

/** Parses "c:1:40=1" (a unit, "=", a value on its recorded scale): what `sample --clamp` and the sample page's `clamp` give. */
export function parseHeldUnit(spec: string): HeldUnit {
  const m = /^([a-z]+):(\d+):(\d+)=(.+)$/.exec(spec.trim());
  const value = m ? Number(m[4]) : NaN;
  if (!m || !Number.isFinite(value)) throw new Error(`"${spec.slice(0, 40)}" is not a clamp: write UNIT=VALUE, e.g. c:1:40=1`);
  if (value < -1 || value > 1) throw new Error(`${spec}: the value must be between −1 and 1`);
  return { kind: m[1] as UnitKind, layer: Number(m[2]), index: Number(m[3]), value };
}

/** Per layer, the hold of its held units (undefined where none): what network.forward takes. */
export function layerHolds(cell: RecurrentCell<unknown>, layers: number, hidden: number, held: readonly HeldUnit[]): (Hold | undefined)[] {
  checkHolds(cell, layers, hidden, held);
  return Array.from({ length: layers }, (_, l) => {
    const mine = held.filter((u) => u.layer === l);
    return mine.length ? layerHold(cell, hidden, mine) : undefined;
  });
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

/** Steps per call of the fast path: one call over all T steps would keep every step's intermediates at once. */
const CHUNK_STEPS = 100;

/** One layer on the fast path over T steps of S streams from a zero state, in chunks, with `hold`: its h, [T·S, H]. */
function fastLayer(cell: RecurrentCell<unknown>, layer: Params["layers"][number], pre: Tensor2D, S: number, H: number, T: number, hold?: Hold): Tensor2D {
  let state = zeroState(cell, S, H);
  const hs: Tensor2D[] = [];
  for (let t0 = 0; t0 < T; t0 += CHUNK_STEPS) {
    const steps = Math.min(CHUNK_STEPS, T - t0);
    const out = tf.tidy(() => {
      const o = cell.forward(tf.slice(pre, [t0 * S, 0], [steps * S, -1]), layer, state, steps, { hold });
      return { h: o.h, state: o.state } as unknown as tf.TensorContainer;
    }) as unknown as { h: Tensor2D; state: CellState };
    tf.dispose(Object.values(state));
    state = out.state;
    hs.push(out.h);
  }
  tf.dispose(Object.values(state));
  const h = tf.concat(hs) as Tensor2D;
  tf.dispose(hs);
  return h;
}

/** The losses of one stretch run twice: free, and with the units held. */
export interface HeldRun {
  /** −log p(ids[p + 1]) for p in [start, end), nothing held (the fast path); NaN where p + 1 is past the text. */
  free: Float32Array;
  /** The same with the units held. */
  held: Float32Array;
  /** With `keepFree`: the free run, for `free` in later calls. */
  freeRun?: FreeRun;
}

/**
 * Runs positions [start, end) of `ids` free and with `held` held, in streams
 * of `len` positions side by side. Layers below the lowest held unit compute
 * the same in both runs: they run once, on the fast path (cell.forward); the
 * layers from there up run twice, free and with the hold.
 */
export function runWithHeld(cell: RecurrentCell<unknown>, params: Params, ids: Int32Array, start: number, end: number, held: readonly HeldUnit[], opts: HeldRunOptions = {}): HeldRun {
  const n = Math.max(0, end - start);
  const free = new Float32Array(n).fill(NaN);
  const heldNll = new Float32Array(n).fill(NaN);
  if (n === 0) return { free, held: heldNll };
  const len = opts.len ?? 500;
  const warm = opts.warmup ?? 500;
  const L = params.layers.length;
  const H = params.layers[0].Wh.shape[0];
  const V = params.Wy.shape[1];
  checkHolds(cell, L, H, held);
  const S = Math.ceil(n / len);
  const T = warm + len;
  const lowest = held.length ? Math.min(...held.map((u) => u.layer)) : L;
  // Step t of stream s reads the text at its start − warm + t (clipped to the text, as run-streams.ts does).
  const pos = (s: number, t: number) => Math.min(Math.max(0, start + s * len - warm + t), ids.length - 1);
  const inputs = new Int32Array(T * S);
  for (let t = 0; t < T; t++) for (let s = 0; s < S; s++) inputs[t * S + s] = ids[pos(s, t)];

  const layout = `${start}:${end}:${len}:${warm}`;
  const reuse = opts.free && opts.free.layout === layout ? opts.free : undefined;
  const kept: Tensor2D[] = [];
  const { lpFree, lpHeld } = tf.tidy(() => {
    let xFree: Tensor2D | null = null;
    let xHeld: Tensor2D | null = null;
    const project = (x: Tensor2D | null, l: number) => (l === 0 ? embed(params.layers[0], tf.tensor1d(inputs, "int32")) : (tf.add(tf.matMul(x!, params.layers[l].Wx), params.layers[l].b) as Tensor2D));
    const logp = (x: Tensor2D) => tf.logSoftmax(tf.add(tf.matMul(x, params.Wy), params.by)) as Tensor2D;
    if (reuse) {
      // The free run is known: the held layers alone, from the free output below them.
      if (lowest === L) return {};
      xHeld = lowest === 0 ? null : reuse.outputs[lowest - 1];
      for (let l = lowest; l < L; l++) xHeld = fastLayer(cell, params.layers[l], project(xHeld, l), S, H, T, layerHold(cell, H, held.filter((u) => u.layer === l)));
      return { lpHeld: logp(xHeld!) };
    }
    params.layers.forEach((layer, l) => {
      const pre = project(xFree, l);
      xFree = fastLayer(cell, layer, pre, S, H, T);
      if (opts.keepFree && l < L - 1) kept.push(tf.keep(xFree));
      if (l < lowest) {
        xHeld = xFree;
        return;
      }
      // At the lowest held layer both runs read the same input: its projection serves both.
      xHeld = fastLayer(cell, layer, l === lowest ? pre : project(xHeld, l), S, H, T, layerHold(cell, H, held.filter((u) => u.layer === l)));
    });
    return xHeld === xFree ? { lpFree: logp(xFree!) } : { lpFree: logp(xFree!), lpHeld: logp(xHeld!) };
  }) as { lpFree?: Tensor2D; lpHeld?: Tensor2D };
  const gather = (lp: Float32Array, out: Float32Array) => {
    for (let s = 0; s < S; s++) {
      for (let t = warm; t < T; t++) {
        const p = start + s * len + (t - warm);
        if (p >= end) break;
        if (p + 1 < ids.length) out[p - start] = -lp[(t * S + s) * V + ids[p + 1]];
      }
    }
  };
  if (lpFree) gather(lpFree.dataSync() as Float32Array, free);
  else free.set(reuse!.nll);
  if (lpHeld) gather(lpHeld.dataSync() as Float32Array, heldNll);
  else heldNll.set(free);
  tf.dispose([lpFree, lpHeld].filter((x): x is Tensor2D => x !== undefined));
  if (opts.keepFree && !reuse) return { free, held: heldNll, freeRun: { layout, nll: Float32Array.from(free), outputs: kept } };
  return { free, held: heldNll };
}
