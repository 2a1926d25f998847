/**
 * The LSTM cell, with a hand-written backward pass.
 *
 *   z = x·Wx + h·Wh + b          gate blocks in the order [i, f, o, g]
 *   i, f, o = σ(z_i), σ(z_f), σ(z_o);   g = tanh(z_g)
 *   c' = f ⊙ c + i ⊙ g;   h' = o ⊙ tanh(c')
 *
 * Records tanh(c) and h, and with `--gates` the gates i, f, o. The forget
 * gate's bias starts at 1 so that memories last from the start.
 *
 * Why hand-written: tfjs's automatic gradient of matMul uses transposed
 * products, which the wasm backend runs 10 to 40 times slower than plain ones.
 * Here the step loop uses only `h·Wh` and `dz·Whᵀ` with Whᵀ transposed once per
 * batch, and the weight gradient is one large product after the loop.
 *
 * Also for speed: the wasm backend's tanh is ~15× slower than its sigmoid, so
 * tanh(x) is computed as 2σ(2x) − 1 (exact in real arithmetic). The g block of
 * z is pre-scaled by 2 so that one sigmoid covers all four gates.
 */
import * as tf from "@tensorflow/tfjs";
import type { Tensor2D } from "@tensorflow/tfjs";
import { blockScale, fastTanh, NO_HOLD, previousRows, stepRows as rows, type RecurrentCell } from "./cell.ts";
import { hasNativeCells, runNative } from "./native-cells.ts";
import { hasFusedLstmStep, LSTM_STEP } from "./wasm-kernels.ts";

/** Streams up to which inference runs the fused step (see forward). */
const FUSED_MAX_BATCH = 2;

/** The largest |tanh(c)| a held unit gets: tanh(c) = ±1 would need c = ±∞ (atanh(0.9999) ≈ 4.95). */
const HOLD_TANH_MAX = 0.9999;

/** What backward() needs from forward(): all [T·B, ·]. */
export interface LstmTape {
  steps: number;
  batch: number;
  hidden: number;
  /** σ of the (g-scaled) gate pre-activations, [T·B, 4H]. */
  s: Tensor2D;
  /** Cell state c after each step, [T·B, H]. */
  c: Tensor2D;
  /** tanh(c), [T·B, H]. */
  tc: Tensor2D;
  /** h after each step, [T·B, H]. */
  h: Tensor2D;
  /** Initial state, [B, H] each. */
  c0: Tensor2D;
  h0: Tensor2D;
  Wh: Tensor2D;
}

/** Column scale [1, 1, 1, k] over the gate blocks [i, f, o, g]. */
const gateScale = (hidden: number, k: number) => blockScale(hidden, [1, 1, 1, k]);

export const lstm: RecurrentCell<LstmTape> = {
  name: "lstm",
  gates: 4,
  state: ["h", "c"],
  records: ["c", "h", "i", "f", "o"],

  forgetBias: 1,
  // torch.nn.LSTM stacks i, f, g, o; Cellscope i, f, o, g.
  torch: { module: "LSTM", blocks: [0, 1, 3, 2] },

  initBias(hidden, { forgetBias = 1 }) {
    const b = new Float32Array(4 * hidden);
    b.fill(forgetBias, hidden, 2 * hidden);
    return b;
  },

  reference(ops, [zi, zf, zo, zg], [ai, af, ao, ag], { c }, _extra, hold = NO_HOLD) {
    const i = ops.sigmoid(ops.add(zi, ai));
    const f = ops.sigmoid(ops.add(zf, af));
    const o = ops.sigmoid(ops.add(zo, ao));
    const g = ops.tanh(ops.add(zg, ag));
    const c2 = hold("c", ops.add(ops.mul(f, c), ops.mul(i, g)));
    const tc = ops.tanh(c2);
    return { state: { h: hold("h", ops.mul(o, tc)), c: c2 }, series: { c: tc, i, f, o } };
  },

  // A tanh(c) unit is held through its memory c (tanh(c) = value; ±1 itself would need c = ±∞).
  holds: { c: (v) => Math.atanh(Math.max(-HOLD_TANH_MAX, Math.min(HOLD_TANH_MAX, v))), h: (v) => v },
  sameHold: (value) => (value === 0 ? [["c", "h"]] : []),

  forward(pre, { Wh }, state, steps, opts) {
    const batch = state.h.shape[0];
    const hidden = Wh.shape[0];
    const want = new Set(opts.series ?? []);
    const gatesWanted = want.has("i") || want.has("f") || want.has("o");
    // The whole recurrence as one native kernel (native-cells.ts) where the addon has it: everything but holds.
    if (!opts.hold && hasNativeCells()) {
      const keepS = Boolean(opts.tape) || gatesWanted;
      const [S, C, TC, H] = runNative("lstmForward", { pre, Wh, h0: state.h, c0: state.c }, { keepS });
      const out: ReturnType<RecurrentCell<LstmTape>["forward"]> = { h: H, state: { h: rows(H, steps - 1, batch), c: rows(C, steps - 1, batch) } };
      if (want.size) {
        out.series = {};
        if (want.has("c")) out.series.c = TC;
        const gates = gatesWanted ? tf.split(S, 4, 1) : undefined;
        if (gates) ["i", "f", "o"].forEach((k, n) => want.has(k) && (out.series![k] = gates[n] as Tensor2D));
      }
      if (opts.tape) out.tape = { steps, batch, hidden, s: S, c: C, tc: TC, h: H, c0: state.c, h0: state.h, Wh };
      else {
        if (!keepS) S.dispose();
        C.dispose();
        if (!want.has("c")) TC.dispose();
      }
      return out;
    }
    const scale = gateScale(hidden, 2); // σ(2z) for g
    const preS = tf.mul(pre, scale) as Tensor2D;
    const WhS = tf.mul(Wh, scale) as Tensor2D;
    let { h, c } = state;
    let tcStep: Tensor2D;
    const hs: Tensor2D[] = [];
    const cs: Tensor2D[] = [];
    const tcs: Tensor2D[] = [];
    const ss: Tensor2D[] = [];
    const hold = opts.hold ?? NO_HOLD;
    // Inference without gates or holds on one or two streams: the step after h·Wh as one kernel
    // (wasm-kernels.ts, LSTM_STEP). Its plain-JavaScript loop beats the ops' dispatch cost only there:
    // 600 steps of 2×256 took 60 ms fused against 137 ms plain at one stream, 150 against 130 at four,
    // 550 against 330 at twenty (the batches knock-outs and recordings run).
    if (!opts.tape && !opts.hold && !gatesWanted && batch <= FUSED_MAX_BATCH && hasFusedLstmStep()) {
      for (let t = 0; t < steps; t++) {
        [c, tcStep, h] = tf.engine().runKernel(LSTM_STEP, { a: tf.matMul(h, WhS), x: rows(preS, t, batch), c }, {}) as Tensor2D[];
        hs.push(h);
        tcs.push(tcStep);
      }
      const out: ReturnType<RecurrentCell<LstmTape>["forward"]> = { h: tf.concat(hs, 0) as Tensor2D, state: { h, c } };
      if (want.has("c")) out.series = { c: tf.concat(tcs, 0) as Tensor2D };
      return out;
    }
    for (let t = 0; t < steps; t++) {
      const s = tf.sigmoid(tf.add(tf.matMul(h, WhS), rows(preS, t, batch))) as Tensor2D;
      const [i, f, o, sg] = tf.split(s, 4, 1);
      const g = tf.sub(tf.mul(sg, 2), 1);
      c = hold("c", tf.add(tf.mul(f, c), tf.mul(i, g)) as Tensor2D);
      const tc = fastTanh(c) as Tensor2D;
      h = hold("h", tf.mul(o, tc) as Tensor2D);
      hs.push(h);
      cs.push(c);
      tcs.push(tc);
      ss.push(s);
    }
    const H = tf.concat(hs, 0) as Tensor2D;
    const out: ReturnType<RecurrentCell<LstmTape>["forward"]> = { h: H, state: { h, c } };
    const needS = opts.tape || want.has("i") || want.has("f") || want.has("o");
    const S = needS ? (tf.concat(ss, 0) as Tensor2D) : undefined;
    const TC = opts.tape || want.has("c") ? (tf.concat(tcs, 0) as Tensor2D) : undefined;
    if (want.size) {
      out.series = {};
      if (want.has("c")) out.series.c = TC!;
      const gates = S && (want.has("i") || want.has("f") || want.has("o")) ? tf.split(S, 4, 1) : undefined;
      if (gates) ["i", "f", "o"].forEach((k, n) => want.has(k) && (out.series![k] = gates[n] as Tensor2D));
    }
    if (opts.tape) {
      out.tape = { steps, batch, hidden, s: S!, c: tf.concat(cs, 0) as Tensor2D, tc: TC!, h: H, c0: state.c, h0: state.h, Wh };
    }
    return out;
  },

  backward(tape, dh) {
    const { steps, batch, hidden } = tape;
    const hPrev = () => previousRows(tape.h0, tape.h, steps, batch);
    if (hasNativeCells()) {
      const [dPre] = runNative("lstmBackward", { S: tape.s, C: tape.c, TC: tape.tc, c0: tape.c0, dh, Wh: tape.Wh });
      // hPrevᵀ·dPre as a transposed product: the native one packs either operand, so no copy is made.
      return { dPre, dWh: tf.matMul(hPrev(), dPre, true, false) as Tensor2D };
    }
    // Everything that does not depend on the recurrence, computed once for all steps.
    const [I, F, O, SG] = tf.split(tape.s, 4, 1) as Tensor2D[];
    const G = tf.sub(tf.mul(SG, 2), 1);
    const cPrev = previousRows(tape.c0, tape.c, steps, batch);
    // dσ/dz = s(1 − s); for g = 2σ(2z) − 1, dg/dz = 4·s(1 − s).
    const dAct = tf.mul(tf.mul(tape.s, tf.sub(1, tape.s)), gateScale(hidden, 4));
    /** dz = [dc, dc, dh, dc] ⊙ P */
    const P = tf.mul(tf.concat([G, cPrev, tape.tc, I], 1), dAct) as Tensor2D;
    /** dc += dh ⊙ K */
    const K = tf.mul(O, tf.sub(1, tf.square(tape.tc))) as Tensor2D;
    const WhT = tf.transpose(tape.Wh) as Tensor2D;

    const dzs: Tensor2D[] = new Array(steps);
    let dhRec: Tensor2D | undefined;
    let dcNext: Tensor2D | undefined;
    for (let t = steps - 1; t >= 0; t--) {
      let dht = rows(dh, t, batch);
      if (dhRec) dht = tf.add(dht, dhRec);
      let dc = tf.mul(dht, rows(K, t, batch)) as Tensor2D;
      if (dcNext) dc = tf.add(dc, dcNext);
      const dz = tf.mul(tf.concat([dc, dc, dht, dc], 1), rows(P, t, batch)) as Tensor2D;
      dcNext = tf.mul(dc, rows(F, t, batch)) as Tensor2D;
      dhRec = tf.matMul(dz, WhT) as Tensor2D;
      dzs[t] = dz;
    }
    const dPre = tf.concat(dzs, 0) as Tensor2D;
    const dWh = tf.matMul(tf.transpose(hPrev()), dPre) as Tensor2D;
    return { dPre, dWh };
  },
};
