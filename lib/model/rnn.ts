/**
 * The vanilla RNN cell of min-char-rnn, with a hand-written backward pass.
 *
 *   h' = tanh(x·Wx + h·Wh + b)          one block (G = 1)
 *
 * Records h, its only state (−1 … 1).
 *
 * Speed as in lstm.ts: the step loop uses only `h·Wh` and `du·Whᵀ` (Whᵀ
 * transposed once per batch), the weight gradient is one product after the
 * loop, and tanh(u) = 2σ(2u) − 1 with pre and Wh scaled by 2 once per batch.
 */
import * as tf from "@tensorflow/tfjs";
import type { Tensor2D } from "@tensorflow/tfjs";
import { NO_HOLD, previousRows, stepRows as rows, type RecurrentCell } from "./cell.ts";
import { hasNativeCells, runNative } from "./native-cells.ts";

/** What backward() needs from forward(). */
export interface RnnTape {
  steps: number;
  batch: number;
  hidden: number;
  /** h after each step, [T·B, H]. */
  h: Tensor2D;
  /** Initial h, [B, H]. */
  h0: Tensor2D;
  /** [H, H] */
  Wh: Tensor2D;
}

export const rnn: RecurrentCell<RnnTape> = {
  name: "rnn",
  gates: 1,
  state: ["h"],
  records: ["h"],
  torch: { module: "RNN", blocks: [0] },

  reference(ops, [zx], [ah], _state, _extra, hold = NO_HOLD) {
    return { state: { h: hold("h", ops.tanh(ops.add(zx, ah))) }, series: {} };
  },

  holds: { h: (v) => v },

  forward(pre, { Wh }, state, steps, opts) {
    const batch = state.h.shape[0];
    const hidden = Wh.shape[0];
    // The whole recurrence as one native kernel (native-cells.ts) where the addon has it: everything but holds.
    if (!opts.hold && hasNativeCells()) {
      const [H] = runNative("rnnForward", { pre, Wh, h0: state.h });
      const out: ReturnType<RecurrentCell<RnnTape>["forward"]> = { h: H, state: { h: rows(H, steps - 1, batch) } };
      if (opts.series?.length) out.series = {};
      if (opts.tape) out.tape = { steps, batch, hidden, h: H, h0: state.h, Wh };
      return out;
    }
    const pre2 = tf.mul(pre, 2) as Tensor2D;
    const Wh2 = tf.mul(Wh, 2) as Tensor2D;
    let h = state.h;
    const hold = opts.hold ?? NO_HOLD;
    const hs: Tensor2D[] = [];
    for (let t = 0; t < steps; t++) {
      const s = tf.sigmoid(tf.add(tf.matMul(h, Wh2), rows(pre2, t, batch)));
      h = hold("h", tf.sub(tf.mul(s, 2), 1) as Tensor2D);
      hs.push(h);
    }
    const H = tf.concat(hs, 0) as Tensor2D;
    const out: ReturnType<RecurrentCell<RnnTape>["forward"]> = { h: H, state: { h } };
    if (opts.series?.length) out.series = {};
    if (opts.tape) out.tape = { steps, batch, hidden, h: H, h0: state.h, Wh };
    return out;
  },

  backward(tape, dh) {
    const { steps, batch } = tape;
    if (hasNativeCells()) {
      const [dPre] = runNative("rnnBackward", { Hs: tape.h, dh, Wh: tape.Wh }, { batch });
      return { dPre, dWh: tf.matMul(previousRows(tape.h0, tape.h, steps, batch), dPre, true, false) as Tensor2D };
    }
    /** du = dh ⊙ (1 − h²), for all steps at once except the recurrent part. */
    const K = tf.sub(1, tf.square(tape.h)) as Tensor2D;
    const WhT = tf.transpose(tape.Wh) as Tensor2D;
    const dus: Tensor2D[] = new Array(steps);
    let dhRec: Tensor2D | undefined;
    for (let t = steps - 1; t >= 0; t--) {
      let dht = rows(dh, t, batch);
      if (dhRec) dht = tf.add(dht, dhRec);
      const du = tf.mul(dht, rows(K, t, batch)) as Tensor2D;
      dhRec = tf.matMul(du, WhT) as Tensor2D;
      dus[t] = du;
    }
    const dPre = tf.concat(dus, 0) as Tensor2D;
    const dWh = tf.matMul(tf.transpose(previousRows(tape.h0, tape.h, steps, batch)), dPre) as Tensor2D;
    return { dPre, dWh };
  },
};
