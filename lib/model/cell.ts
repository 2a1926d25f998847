/**
 * The interface every recurrent cell implements: a cell declares what it is
 * (its gate blocks, state parts, extra weights, initialization, the kinds of
 * unit it records, and its equations as a plain reference step) and does its
 * own fast recurrence with a hand-written backward pass. A new cell is one
 * file beside `lstm.ts` plus one line in `cells.ts`.
 *
 * A cell only does the recurrence. The network computes each layer's input
 * projection for the whole batch at once (`pre`, one big matmul or an
 * embedding lookup, bias included), hands it to the cell, and gets the hidden
 * states of all steps back. Shapes use T = steps, B = streams, H = hidden
 * units, G = gate blocks of the cell (LSTM: 4). Rows are time-major: row
 * t·B + b is stream b at step t.
 */
import * as tf from "@tensorflow/tfjs";
import type { Tensor, Tensor1D, Tensor2D } from "@tensorflow/tfjs";
import type { UnitKind } from "./unit-kinds.ts";

/** The cell's state carried between steps and batches, e.g. { h, c } for an LSTM, each [B, H]. */
export type CellState = Record<string, Tensor2D>;

/** What the forward pass returns. */
export interface CellOutput<Tape> {
  /** h for every step: [T·B, H]. */
  h: Tensor2D;
  /** The state after the last step. */
  state: CellState;
  /** Everything backward() needs (only when asked for). */
  tape?: Tape;
  /** The recorded kinds other than h that were asked for, each [T·B, H] (LSTM: c = tanh(cell), i, f, o). */
  series?: Record<string, Tensor2D>;
}

/** A layer's recurrent weights as the cell sees them. */
export interface RecurrentWeights {
  /** [H, G·H] */
  Wh: Tensor2D;
  /** The cell's extra weights (`extraParams`), by name. */
  extra?: Record<string, Tensor>;
}

/** An extra per-layer weight a cell needs besides Wx, Wh and b (GRU: the recurrent bias of n). */
export interface ExtraParam {
  /** Its shape for H hidden units. */
  shape: (hidden: number) => number[];
}

/**
 * Elementwise math on the values of one kind: tfjs tensors (for autograd) or
 * float64 arrays (for finite differences). A cell's reference step is written
 * once against it and runs both ways (./reference.ts).
 */
export interface Ops<V> {
  add(a: V, b: V): V;
  sub(a: V, b: V): V;
  mul(a: V, b: V): V;
  /** 1 − a */
  oneMinus(a: V): V;
  sigmoid(a: V): V;
  tanh(a: V): V;
}

/**
 * An intervention inside a step (lib/model/hold.ts): the cell passes each
 * quantity it can hold (`holds`) through this as soon as it computes it, and
 * uses what comes back for the rest of the step and as its new state.
 */
export type Hold = <V>(kind: UnitKind, value: V) => V;

/**
 * One step of the cell's equations, as plainly as they are written, for the
 * tests and for running with units held (lib/model/hold.ts): `x` holds the G
 * blocks of x·Wx + b, `a` the G blocks of h·Wh, each one value per unit;
 * `extra` the extra weights; `hold` (default: none) the intervention. Returns
 * the new state (h included) and the recorded kinds other than h.
 */
export type ReferenceStep = <V>(
  ops: Ops<V>,
  x: V[],
  a: V[],
  state: Record<string, V>,
  extra: Record<string, V>,
  hold?: Hold,
) => { state: Record<string, V>; series: Record<string, V> };

/**
 * The torch.nn module that computes the same cell, and how its weights map:
 * PyTorch stores W_ih [G·H, D], W_hh [G·H, H] and two biases b_ih, b_hh [G·H];
 * Cellscope's Wx = W_ihᵀ and Wh = W_hhᵀ with the gate blocks reordered, and
 * b = b_ih + b_hh, except a recurrent-bias block that sits inside a product
 * and so cannot be added in (GRU's b_hn, multiplied by r): that block stays
 * an extra weight.
 */
export interface TorchLayout {
  module: "LSTM" | "GRU" | "RNN";
  /** blocks[k]: the PyTorch gate block that is Cellscope's block k. */
  blocks: readonly number[];
  /** The recurrent-bias block kept apart, and the extra weight that holds it. */
  unfolded?: { block: number; extra: string };
}

/** No intervention. */
export const NO_HOLD: Hold = (_kind, value) => value;

export interface RecurrentCell<Tape = unknown> {
  readonly name: string;
  /** Gate blocks G: the input projection has G·H columns. */
  readonly gates: number;
  /** The parts of the state carried between steps, h first (LSTM: h, c); checkpoints store each as `state.L.PART`. */
  readonly state: readonly string[];
  /** The kinds of unit it records (lib/model/unit-kinds.ts), h included, in recording order; the gate kinds only with `--gates`. */
  readonly records: readonly UnitKind[];
  /** Extra weights per layer, stored as `rnn.L.NAME` after Wx, Wh and b; zeros at initialization. */
  readonly extraParams?: Readonly<Record<string, ExtraParam>>;
  /** A cell with a forget gate: its initial bias (char-rnn's 1, so memories last from the start); `train --forget-bias` changes it. */
  readonly forgetBias?: number;
  /** The initial bias b [G·H] (LSTM: the forget block at `forgetBias`); zeros when absent. */
  initBias?(hidden: number, init: { forgetBias?: number }): Float32Array;
  /** The equations, for the gradient tests and for runs with units held. */
  readonly reference: ReferenceStep;
  /** How torch.nn stacks this cell's weights, for import and export (lib/model/torch-weights.ts). */
  readonly torch: TorchLayout;
  /**
   * The recorded kinds a run can hold at a value, each with the map from a
   * recorded value to the quantity the step holds (LSTM: a tanh(c) unit holds
   * its memory c at atanh(value); h units hold h itself).
   */
  readonly holds: Readonly<Partial<Record<UnitKind, (recorded: number) => number>>>;
  /**
   * Pairs of held kinds whose units of one layer and index knock out the same
   * thing when held at `value` (LSTM at 0: h = o·tanh(c), so c = 0 gives h = 0,
   * and c reaches nothing but its own h). A ranking by effect measures one of each.
   */
  readonly sameHold?: (value: number) => readonly (readonly [UnitKind, UnitKind])[];
  /**
   * Runs `steps` steps.
   * @param pre input projection plus bias, [T·B, G·H]
   * @param w recurrent weights: Wh [H, G·H] and the extras
   * @param opts.series recorded kinds other than h to return
   * @param opts.hold an intervention, as in `reference` (inference only: not with `tape`)
   */
  forward(
    pre: Tensor2D,
    w: RecurrentWeights,
    state: CellState,
    steps: number,
    opts: { tape?: boolean; series?: readonly string[]; hold?: Hold },
  ): CellOutput<Tape>;
  /**
   * Backpropagation through the T steps of one forward() (truncated: no
   * gradient flows into the initial state).
   * @param dh gradient of the loss w.r.t. every h, [T·B, H]
   * @returns dPre [T·B, G·H] (so dWx and db follow from the input), dWh [H, G·H], and the extras' gradients by name
   */
  backward(tape: Tape, dh: Tensor2D): { dPre: Tensor2D; dWh: Tensor2D; dExtra?: Record<string, Tensor> };
}

/** A zero state for B streams: every part [B, H]. */
export function zeroState(cell: RecurrentCell<unknown>, batch: number, hidden: number): CellState {
  return Object.fromEntries(cell.state.map((k) => [k, tf.zeros([batch, hidden]) as Tensor2D]));
}

/** tanh via the wasm backend's fast sigmoid (its tanh is ~15× slower): tanh(x) = 2σ(2x) − 1, exact in real arithmetic. */
export function fastTanh(x: Tensor): Tensor {
  return tf.sub(tf.mul(tf.sigmoid(tf.mul(x, 2)), 2), 1);
}

/** Rows t·B … t·B + B − 1 of a time-major [T·B, ·] tensor: step t. */
export function stepRows(x: Tensor2D, t: number, batch: number): Tensor2D {
  return tf.slice(x, [t * batch, 0], [batch, x.shape[1]]);
}

/** A state part at each step's start, [T·B, H]: the initial x0 [B, H], then x after steps 0 … T − 2 (backward's h_{t−1}, c_{t−1}). */
export function previousRows(x0: Tensor2D, x: Tensor2D, steps: number, batch: number): Tensor2D {
  return tf.concat([x0, tf.slice(x, [0, 0], [(steps - 1) * batch, x.shape[1]])], 0) as Tensor2D;
}

/** Column scale over G blocks of H, block k multiplied by `scales[k]`: [G·H]. */
export function blockScale(hidden: number, scales: readonly number[]): Tensor1D {
  const s = new Float32Array(scales.length * hidden);
  scales.forEach((k, b) => s.fill(k, b * hidden, (b + 1) * hidden));
  return tf.tensor1d(s);
}
