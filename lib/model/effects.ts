/**
 * Which units the model's predictions of chosen characters rely on: for every
 * unit, the change in the loss on those characters when the unit is knocked
 * out (held at a value at every step, as in hold.ts).
 *
 * Knocking one unit out exactly costs a run of the model, and a 2×256 LSTM has
 * 1,024 units, so the ranking takes two steps:
 *
 * 1. Estimate, every unit at once (one forward and backward pass). Each held
 *    quantity v [B, H] (an LSTM's c and h, a GRU's or RNN's h) becomes
 *
 *        v' = v + ε ⊙ (value − v),    ε ∈ ℝ^H per layer and kind,
 *
 *    which is v at ε = 0 and the knock-out of unit j at ε_j = 1. With
 *    L = Σ_p w_p · (−log p(next char at p)) the loss on the chosen characters,
 *
 *        ΔL_j ≈ ∂L/∂ε_j |ε=0 = Σ_t ∂L/∂v_{t,j} · (value_j − v_{t,j}),
 *
 *    the knock-out's change in loss to first order. The gradient flows back at
 *    most GRAD_STEPS steps (truncated, as training truncates it).
 * 2. Exact, for the units the estimate ranks first: each knocked out for real,
 *    all in one batch (group g of the S streams holds unit g; group 0 holds
 *    nothing and gives the free loss), so the arithmetic runs as one large
 *    matrix product per step instead of K small ones.
 *
 * The text is cut as hold.ts cuts it: S streams of `len` positions side by
 * side, each first reading `warmup` characters before its start.
 */
import * as tf from "@tensorflow/tfjs";
import type { Scalar, Tensor, Tensor1D, Tensor2D } from "@tensorflow/tfjs";
import { zeroState, type CellState, type Hold, type RecurrentCell } from "./cell.ts";
import { checkHolds, type HeldUnit } from "./hold.ts";
import { forward, nllPerChar } from "./network.ts";
import type { Params } from "./params.ts";
import type { UnitKind } from "./unit-kinds.ts";

/** Steps the estimate's gradient flows back through (and steps per forward call in both passes). */
export const GRAD_STEPS = 100;

export interface EffectLayout {
  /** Positions per stream (default 1,000). */
  len?: number;
  /** Characters each stream reads before its start (default 500). */
  warmup?: number;
}

export type EffectProgress = (done: number, total: number) => void;

/** Lets the event loop run between chunks: a server keeps answering other requests during a minute-long ranking. */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The stream layout over positions [start, end) of `ids`: inputs and targets [T·S] time-major, and where each row's loss goes. */
function layout(ids: Int32Array, start: number, end: number, o: EffectLayout) {
  const n = end - start;
  const len = o.len ?? 1000;
  const warm = o.warmup ?? 500;
  const S = Math.max(1, Math.ceil(n / len));
  const T = warm + len;
  const inputs = new Int32Array(T * S);
  const targets = new Int32Array(T * S);
  /** Row r's position minus start, or −1 for a warm-up row, a row past `end`, or one with no next character. */
  const at = new Int32Array(T * S).fill(-1);
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < S; s++) {
      const r = t * S + s;
      const p = Math.min(Math.max(0, start + s * len - warm + t), ids.length - 1);
      inputs[r] = ids[p];
      targets[r] = ids[Math.min(p + 1, ids.length - 1)];
      const q = start + s * len + t - warm;
      if (t >= warm && q < end && q + 1 < ids.length) at[r] = q - start;
    }
  }
  return { S, T, inputs, targets, at };
}

/** Rows [t0·B, (t0 + steps)·B) of a time-major array of B rows per step. */
const stepsOf = (a: Int32Array, t0: number, steps: number, B: number) => a.subarray(t0 * B, (t0 + steps) * B);

/** Tiles a [T·S] time-major array to [T·(G·S)]: every step's S rows G times over (G groups of the same streams). */
function tileGroups(a: Int32Array, T: number, S: number, G: number): Int32Array {
  const out = new Int32Array(T * S * G);
  for (let t = 0; t < T; t++) for (let g = 0; g < G; g++) out.set(a.subarray(t * S, (t + 1) * S), (t * G + g) * S);
  return out;
}

export interface HeldKind {
  kind: UnitKind;
  layer: number;
  /** Per unit, the value it would be held at, on the held quantity's scale (an LSTM's c: atanh of the recorded value): [H]. */
  value: Float32Array;
}

/**
 * The first-order estimate (1. above) of every unit's knock-out effect on
 * L = Σ_p weights[p − start] · (−log p(ids[p + 1])), p in [start, end), for
 * each layer and kind in `kinds`: per entry, ΔL for each of its H units (nats,
 * summed over the weighted characters; positive: the unit helps predict them).
 */
export async function estimateEffects(
  cell: RecurrentCell<unknown>,
  params: Params,
  ids: Int32Array,
  start: number,
  end: number,
  weights: Float32Array,
  kinds: readonly HeldKind[],
  o: EffectLayout & { onProgress?: EffectProgress } = {},
): Promise<Float32Array[]> {
  const L = params.layers.length;
  const H = params.layers[0].Wh.shape[0];
  for (const k of kinds) checkHolds(cell, L, H, [{ kind: k.kind, layer: k.layer, index: 0, value: 0 }]);
  const { S, T, inputs, targets, at } = layout(ids, start, end, o);
  const w = new Float32Array(T * S);
  for (let r = 0; r < at.length; r++) if (at[r] >= 0) w[r] = weights[at[r]];
  const sums = kinds.map(() => new Float64Array(H));
  const values = kinds.map((k) => tf.tensor1d(k.value));
  let state: CellState[] = params.layers.map(() => zeroState(cell, S, H));
  const chunks = Math.ceil(T / GRAD_STEPS);
  for (let c = 0; c < chunks; c++) {
    const t0 = c * GRAD_STEPS;
    const steps = Math.min(GRAD_STEPS, T - t0);
    const wc = w.subarray(t0 * S, (t0 + steps) * S);
    let next: CellState[] = [];
    const eps = kinds.map(() => tf.zeros([H]) as Tensor1D);
    // A chunk without a weighted character has no gradient: only its state is needed.
    const weighted = wc.some((x) => x !== 0);
    const grads = tf.tidy(() => {
      const run = (holds?: (Hold | undefined)[]) => {
        const out = forward(cell, params, stepsOf(inputs, t0, steps, S), steps, state, [], holds);
        next = out.state.map((st) => Object.fromEntries(Object.entries(st).map(([k, v]) => [k, tf.keep(v)])) as CellState);
        return tf.sum(tf.mul(nllPerChar(out.logp, stepsOf(targets, t0, steps, S)), tf.tensor1d(wc))) as Scalar;
      };
      if (!weighted) {
        run();
        return [];
      }
      const f = (...e: Tensor[]) => {
        const holds = params.layers.map((_, l): Hold | undefined => {
          const mine = kinds.map((k, i) => (k.layer === l ? i : -1)).filter((i) => i >= 0);
          if (!mine.length) return undefined;
          return <V,>(kind: UnitKind, v: V): V => {
            const i = mine.find((m) => kinds[m].kind === kind);
            if (i === undefined) return v;
            const x = v as unknown as Tensor2D;
            return tf.add(x, tf.mul(e[i], tf.sub(values[i], x))) as unknown as V;
          };
        });
        return run(holds);
      };
      return tf.grads(f)(eps).map((g) => g.dataSync() as Float32Array);
    });
    tf.dispose([...eps, ...state.flatMap((st) => Object.values(st))]);
    state = next;
    grads.forEach((g, i) => {
      for (let j = 0; j < H; j++) sums[i][j] += g[j];
    });
    o.onProgress?.(c + 1, chunks);
    await yieldToOthers();
  }
  tf.dispose([...values, ...state.flatMap((st) => Object.values(st))]);
  return sums.map((s) => Float32Array.from(s));
}

/**
 * Exact knock-outs (2. above): positions [start, end) run free and with each
 * of `units` held in turn, all in one batch. Returns −log p(ids[p + 1]) free and
 * per unit held (NaN where p + 1 is past the text).
 */
export async function knockOutEach(
  cell: RecurrentCell<unknown>,
  params: Params,
  ids: Int32Array,
  start: number,
  end: number,
  units: readonly HeldUnit[],
  o: EffectLayout & { onProgress?: EffectProgress } = {},
): Promise<{ free: Float32Array; held: Float32Array[] }> {
  const L = params.layers.length;
  const H = params.layers[0].Wh.shape[0];
  checkHolds(cell, L, H, units);
  const n = end - start;
  const G = units.length + 1;
  const { S, T, inputs, targets, at } = layout(ids, start, end, o);
  const B = G * S;
  const gIn = tileGroups(inputs, T, S, G);
  const gTargets = tileGroups(targets, T, S, G);
  const masks: Map<UnitKind, { keep: Tensor2D; set: Tensor2D }>[] = [];
  // Per layer, its hold: v ⊙ keep + set with keep, set [B, H]; group g + 1's rows hold unit g.
  const holds = params.layers.map((_, l): Hold | undefined => {
    const mine = units.map((u, g) => ({ u, g })).filter(({ u }) => u.layer === l);
    if (!mine.length) return undefined;
    const byKind = new Map<UnitKind, { keep: Tensor2D; set: Tensor2D }>();
    masks.push(byKind);
    for (const kind of new Set(mine.map(({ u }) => u.kind))) {
      const keep = new Float32Array(B * H).fill(1);
      const set = new Float32Array(B * H);
      for (const { u, g } of mine.filter(({ u }) => u.kind === kind)) {
        for (let s = 0; s < S; s++) {
          const r = (g + 1) * S + s;
          keep[r * H + u.index] = 0;
          set[r * H + u.index] = cell.holds[kind]!(u.value);
        }
      }
      byKind.set(kind, { keep: tf.tensor2d(keep, [B, H]), set: tf.tensor2d(set, [B, H]) });
    }
    return <V,>(kind: UnitKind, v: V): V => {
      const k = byKind.get(kind);
      return k ? (tf.add(tf.mul(v as unknown as Tensor, k.keep), k.set) as unknown as V) : v;
    };
  });
  const free = new Float32Array(n).fill(NaN);
  const held = units.map(() => new Float32Array(n).fill(NaN));
  let state: CellState[] = params.layers.map(() => zeroState(cell, B, H));
  const chunks = Math.ceil(T / GRAD_STEPS);
  for (let c = 0; c < chunks; c++) {
    const t0 = c * GRAD_STEPS;
    const steps = Math.min(GRAD_STEPS, T - t0);
    const { nll, next } = tf.tidy(() => {
      const out = forward(cell, params, stepsOf(gIn, t0, steps, B), steps, state, [], holds);
      return { nll: nllPerChar(out.logp, stepsOf(gTargets, t0, steps, B)), next: out.state };
    }) as unknown as { nll: Tensor1D; next: CellState[] };
    const v = nll.dataSync();
    for (let t = 0; t < steps; t++) {
      for (let s = 0; s < S; s++) {
        const q = at[(t0 + t) * S + s];
        if (q < 0) continue;
        free[q] = v[t * B + s];
        for (let g = 1; g < G; g++) held[g - 1][q] = v[t * B + g * S + s];
      }
    }
    tf.dispose([nll, ...state.flatMap((st) => Object.values(st))]);
    state = next;
    o.onProgress?.(c + 1, chunks);
    await yieldToOthers();
  }
  tf.dispose([...state.flatMap((st) => Object.values(st)), ...masks.flatMap((m) => [...m.values()].flatMap((k) => [k.keep, k.set]))]);
  return { free, held };
}
