/**
 * The knock-out effects of every unit: the first-order estimate is the
 * derivative a central finite difference measures (a partial hold, written
 * here), and the batched exact knock-outs give what one held run at a time
 * gives (hold.ts, itself checked against a float64 loop), for every cell.
 */
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { initBackend } from "./backend.ts";
import { zeroState, type Hold } from "./cell.ts";
import { CELLS } from "./cells.ts";
import { estimateEffects, GRAD_STEPS, knockOutEach, type HeldKind } from "./effects.ts";
import { runWithHeld, type HeldUnit } from "./hold.ts";
import { forward, nllPerChar } from "./network.ts";
import { initParams } from "./params.ts";
import { Random } from "./random.ts";
import type { UnitKind } from "./unit-kinds.ts";

await initBackend("wasm");

const [H, V] = [12, 9];
const [start, end, len, warmup] = [40, 240, 50, 30];
const S = Math.ceil((end - start) / len);
const T = warmup + len;

describe.each(Object.keys(CELLS))("a %s's knock-out effects", (name) => {
  const cell = CELLS[name];
  const params = initParams({ cell: name, layers: 2, hidden: H, vocabSize: V, dropout: 0 }, 5, "uniform:0.5");
  const rng = new Random(3);
  const ids = Int32Array.from({ length: 300 }, () => Math.floor(rng.next() * V));
  // The chosen characters: those whose next character is 2 or 5.
  const weights = Float32Array.from({ length: end - start }, (_, i) => (ids[start + i + 1] === 2 || ids[start + i + 1] === 5 ? 1 : 0));

  /** L with unit j of one layer and kind moved a fraction d of the way to its value, at every step: v + d·(value − v). */
  function lossAt(k: HeldKind, j: number, d: number): number {
    const inputs = new Int32Array(T * S), targets = new Int32Array(T * S), w = new Float32Array(T * S);
    for (let t = 0; t < T; t++) {
      for (let s = 0; s < S; s++) {
        const p = Math.max(0, start + s * len - warmup + t);
        inputs[t * S + s] = ids[p];
        targets[t * S + s] = ids[p + 1];
        if (t >= warmup && p < end) w[t * S + s] = weights[p - start];
      }
    }
    return tf.tidy(() => {
      const hold = (<X,>(kind: UnitKind, v: X): X => {
        if (kind !== k.kind) return v;
        const x = tf.buffer([S, H], "float32", (v as unknown as tf.Tensor).dataSync() as Float32Array);
        for (let s = 0; s < S; s++) x.set(x.get(s, j) + d * (k.value[j] - x.get(s, j)), s, j);
        return x.toTensor() as unknown as X;
      }) as Hold;
      const holds = params.layers.map((_, l) => (l === k.layer ? hold : undefined));
      const out = forward(cell, params, inputs, T, params.layers.map(() => zeroState(cell, S, H)), [], holds);
      return tf.sum(tf.mul(nllPerChar(out.logp, targets), tf.tensor1d(w))).dataSync()[0];
    });
  }

  it("estimates each unit's effect as the derivative of the loss on the chosen characters", async () => {
    expect(T).toBeLessThanOrEqual(GRAD_STEPS); // one chunk: the gradient is not truncated here
    const kinds: HeldKind[] = Object.keys(cell.holds).flatMap((kind) =>
      [0, 1].map((layer) => ({ kind: kind as UnitKind, layer, value: Float32Array.from({ length: H }, (_, j) => cell.holds[kind as UnitKind]!(j % 3 === 0 ? 0 : 0.4 - 0.1 * j)) })),
    );
    const est = await estimateEffects(cell, params, ids, start, end, weights, kinds, { len, warmup });
    expect(est).toHaveLength(kinds.length);
    let biggest = 0;
    kinds.forEach((k, i) => {
      for (const j of [1, 4, 9]) {
        const delta = 0.02;
        const fd = (lossAt(k, j, delta) - lossAt(k, j, -delta)) / (2 * delta);
        expect(Math.abs(est[i][j] - fd)).toBeLessThan(2e-3 + 0.02 * Math.abs(fd));
        biggest = Math.max(biggest, Math.abs(fd));
      }
    });
    expect(biggest).toBeGreaterThan(0.05); // the units do matter to these characters
  });

  it("knocks several units out in one batch, each as a run of its own would", async () => {
    const units: HeldUnit[] = Object.keys(cell.holds).flatMap((kind, k) => [
      { kind: kind as UnitKind, layer: 0, index: 2 + k, value: 0 },
      { kind: kind as UnitKind, layer: 1, index: 7 + k, value: -0.6 },
    ]);
    const batch = await knockOutEach(cell, params, ids, start, end, units, { len, warmup });
    units.forEach((u, g) => {
      const alone = runWithHeld(cell, params, ids, start, end, [u], { len, warmup });
      const worst = Math.max(...Array.from(alone.held, (x, i) => Math.abs(x - batch.held[g][i])));
      expect(worst).toBeLessThan(1e-5);
      expect(Math.max(...Array.from(alone.free, (x, i) => Math.abs(x - batch.free[i])))).toBeLessThan(1e-5);
      expect(Math.max(...Array.from(alone.held, (x, i) => Math.abs(x - alone.free[i])))).toBeGreaterThan(1e-3);
    });
  });
});
