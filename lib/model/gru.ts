/**
 * The GRU cell in PyTorch's formulation (torch.nn.GRU), with a hand-written
 * backward pass.
 *
 *   x·Wx + b, h·Wh: gate blocks in the order [r, z, n]
 *   r = σ(x·Wx_r + b_r + h·Wh_r)
 *   z = σ(x·Wx_z + b_z + h·Wh_z)
 *   n = tanh(x·Wx_n + b_n + r ⊙ (h·Wh_n + bhn))
 *   h' = (1 − z) ⊙ n + z ⊙ h
 *
 * The recurrent bias of n, `bhn` [H], is the one bias that cannot be folded
 * into b (r multiplies it), so PyTorch's weights map exactly: Wx = W_ihᵀ,
 * Wh = W_hhᵀ, b = b_ih + [b_hr, b_hz, 0], bhn = b_hn. Records h, and with
 * `--gates` the gates r and z.
 *
 * Speed as in lstm.ts: the step loop uses one `h·Wh` and one `dA·Whᵀ` (Whᵀ
 * transposed once per batch), the weight gradients are products after the
 * loop, and tanh(u) = 2σ(2u) − 1 with the n block of pre, Wh and bhn scaled
 * by 2 once per batch.
 */
import * as tf from "@tensorflow/tfjs";
import type { Tensor1D, Tensor2D } from "@tensorflow/tfjs";
import { blockScale, previousRows, stepRows as rows, NO_HOLD, type RecurrentCell } from "./cell.ts";
import { hasNativeCells, runNative } from "./native-cells.ts";

/** What backward() needs from forward(): all [T·B, H] but the initial state and Wh. */
export interface GruTape {
  steps: number;
  batch: number;
  hidden: number;
  r: Tensor2D;
  z: Tensor2D;
  n: Tensor2D;
  /** h·Wh_n + bhn, the term r multiplies. */
  an: Tensor2D;
  /** h after each step. */
  h: Tensor2D;
  /** Initial h, [B, H]. */
  h0: Tensor2D;
  /** [H, 3H] */
  Wh: Tensor2D;
}

export const gru: RecurrentCell<GruTape> = {
  name: "gru",
  gates: 3,
  state: ["h"],
  records: ["h", "r", "z"],
  extraParams: { bhn: { shape: (hidden) => [hidden] } },
  torch: { module: "GRU", blocks: [0, 1, 2], unfolded: { block: 2, extra: "bhn" } },

  reference(ops, [xr, xz, xn], [ar, az, an], { h }, { bhn }, hold = NO_HOLD) {
    const r = ops.sigmoid(ops.add(xr, ar));
    const z = ops.sigmoid(ops.add(xz, az));
    const n = ops.tanh(ops.add(xn, ops.mul(r, ops.add(an, bhn))));
    return { state: { h: hold("h", ops.add(ops.mul(ops.oneMinus(z), n), ops.mul(z, h))) }, series: { r, z } };
  },

  holds: { h: (v) => v },

  forward(pre, { Wh, extra }, state, steps, opts) {
    const batch = state.h.shape[0];
    const hidden = Wh.shape[0];
    const want = new Set(opts.series ?? []);
    // The whole recurrence as one native kernel (native-cells.ts) where the addon has it: everything but holds.
    if (!opts.hold && hasNativeCells()) {
      const [R, Z, N, AN, H] = runNative("gruForward", { pre, Wh, bhn: extra!.bhn, h0: state.h });
      const out: ReturnType<RecurrentCell<GruTape>["forward"]> = { h: H, state: { h: rows(H, steps - 1, batch) } };
      if (want.size) {
        out.series = {};
        if (want.has("r")) out.series.r = R;
        if (want.has("z")) out.series.z = Z;
      }
      if (opts.tape) out.tape = { steps, batch, hidden, r: R, z: Z, n: N, an: AN, h: H, h0: state.h, Wh };
      else tf.dispose([...(want.has("r") ? [] : [R]), ...(want.has("z") ? [] : [Z]), N, AN]);
      return out;
    }
    const scale = blockScale(hidden, [1, 1, 2]); // σ(2u) for n
    const [preRZ, preN2] = tf.split(tf.mul(pre, scale), [2 * hidden, hidden], 1) as Tensor2D[];
    const WhS = tf.mul(Wh, scale) as Tensor2D;
    // [0, 0, 2·bhn]: added to h·Wh so one product gives the r, z and (scaled) n terms.
    const bias = tf.concat([tf.zeros([2 * hidden]), tf.mul(extra!.bhn as Tensor1D, 2)]);
    let h = state.h;
    const hold = opts.hold ?? NO_HOLD;
    const hs: Tensor2D[] = [];
    const rs: Tensor2D[] = [];
    const zs: Tensor2D[] = [];
    const ns: Tensor2D[] = [];
    const an2s: Tensor2D[] = [];
    for (let t = 0; t < steps; t++) {
      const [aRZ, an2] = tf.split(tf.add(tf.matMul(h, WhS), bias), [2 * hidden, hidden], 1) as Tensor2D[];
      const [r, z] = tf.split(tf.sigmoid(tf.add(rows(preRZ, t, batch), aRZ)), 2, 1) as Tensor2D[];
      const n = tf.sub(tf.mul(tf.sigmoid(tf.add(rows(preN2, t, batch), tf.mul(r, an2))), 2), 1) as Tensor2D;
      h = hold("h", tf.add(n, tf.mul(z, tf.sub(h, n))) as Tensor2D);
      hs.push(h);
      rs.push(r);
      zs.push(z);
      ns.push(n);
      an2s.push(an2);
    }
    const H = tf.concat(hs, 0) as Tensor2D;
    const out: ReturnType<RecurrentCell<GruTape>["forward"]> = { h: H, state: { h } };
    const R = opts.tape || want.has("r") ? (tf.concat(rs, 0) as Tensor2D) : undefined;
    const Z = opts.tape || want.has("z") ? (tf.concat(zs, 0) as Tensor2D) : undefined;
    if (want.size) {
      out.series = {};
      if (want.has("r")) out.series.r = R!;
      if (want.has("z")) out.series.z = Z!;
    }
    if (opts.tape) {
      const an = tf.mul(tf.concat(an2s, 0), 0.5) as Tensor2D;
      out.tape = { steps, batch, hidden, r: R!, z: Z!, n: tf.concat(ns, 0) as Tensor2D, an, h: H, h0: state.h, Wh };
    }
    return out;
  },

  backward(tape, dh) {
    const { steps, batch, hidden } = tape;
    const { r, z, n, an } = tape;
    const hPrev = previousRows(tape.h0, tape.h, steps, batch);
    if (hasNativeCells()) {
      const [dA, dPre] = runNative("gruBackward", { R: r, Z: z, N: n, AN: an, Hs: tape.h, h0: tape.h0, dh, Wh: tape.Wh });
      // hPrevᵀ·dA as a transposed product: the native one packs either operand, so no copy is made.
      return { dPre, dWh: tf.matMul(hPrev, dA, true, false) as Tensor2D, dExtra: { bhn: tf.sum(tf.slice(dA, [0, 2 * hidden], [-1, hidden]), 0) } };
    }
    // Everything that does not depend on the recurrence, for all steps at once:
    // with dht the total gradient of h at a step, d(n's pre-activation) = dht ⊙ Pn
    // and d(h·Wh + [0, 0, bhn]) = [dht, dht, dht] ⊙ Q.
    const Pn = tf.mul(tf.sub(1, z), tf.sub(1, tf.square(n))) as Tensor2D;
    const Q = tf.concat(
      [
        tf.mul(tf.mul(Pn, an), tf.mul(r, tf.sub(1, r))),
        tf.mul(tf.sub(hPrev, n), tf.mul(z, tf.sub(1, z))),
        tf.mul(Pn, r),
      ],
      1,
    ) as Tensor2D;
    const WhT = tf.transpose(tape.Wh) as Tensor2D;
    const dAs: Tensor2D[] = new Array(steps);
    const dhs: Tensor2D[] = new Array(steps);
    let dhRec: Tensor2D | undefined;
    for (let t = steps - 1; t >= 0; t--) {
      let dht = rows(dh, t, batch);
      if (dhRec) dht = tf.add(dht, dhRec);
      const dA = tf.mul(tf.concat([dht, dht, dht], 1), rows(Q, t, batch)) as Tensor2D;
      dhRec = tf.add(tf.matMul(dA, WhT), tf.mul(dht, rows(z, t, batch))) as Tensor2D;
      dAs[t] = dA;
      dhs[t] = dht;
    }
    const dA = tf.concat(dAs, 0) as Tensor2D;
    const [dARZ, dAN] = tf.split(dA, [2 * hidden, hidden], 1) as Tensor2D[];
    const dPre = tf.concat([dARZ, tf.mul(tf.concat(dhs, 0), Pn)], 1) as Tensor2D;
    const dWh = tf.matMul(tf.transpose(hPrev), dA) as Tensor2D;
    return { dPre, dWh, dExtra: { bhn: tf.sum(dAN, 0) } };
  },
};
