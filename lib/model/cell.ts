/**
 * The interface every recurrent cell implements, so a new cell (the vanilla
 * RNN of min-char-rnn, a GRU) is one more file beside `lstm.ts`.
 *
 * A cell only does the recurrence. The network computes each layer's input
 * projection for the whole batch at once (`pre`, one big matmul or an
 * embedding lookup, bias included), hands it to the cell, and gets the hidden
 * states of all steps back. Shapes use T = steps, B = streams, H = hidden
 * units, G = gate blocks of the cell (LSTM: 4). Rows are time-major: row
 * t·B + b is stream b at step t.
 */
import type { Tensor2D } from "@tensorflow/tfjs";

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
  /** Extra per-step series for recording, each [T·B, H] (LSTM: c = tanh(cell), i, f, o gates). */
  series?: Record<string, Tensor2D>;
}

export interface RecurrentCell<Tape = unknown> {
  readonly name: string;
  /** Gate blocks G: the input projection has G·H columns. */
  readonly gates: number;
  /** Names of the per-step series `forward` can return for recording. */
  readonly seriesNames: readonly string[];
  /** A zero state for B streams. */
  zeroState(batch: number, hidden: number): CellState;
  /**
   * Runs `steps` steps.
   * @param pre input projection plus bias, [T·B, G·H]
   * @param Wh recurrent weights, [H, G·H]
   */
  forward(
    pre: Tensor2D,
    Wh: Tensor2D,
    state: CellState,
    steps: number,
    opts: { tape?: boolean; series?: readonly string[] },
  ): CellOutput<Tape>;
  /**
   * Backpropagation through the T steps of one forward() (truncated: no
   * gradient flows into the initial state).
   * @param dh gradient of the loss w.r.t. every h, [T·B, H]
   * @returns dPre [T·B, G·H] (so dWx and db follow from the input) and dWh [H, G·H]
   */
  backward(tape: Tape, dh: Tensor2D): { dPre: Tensor2D; dWh: Tensor2D };
}
