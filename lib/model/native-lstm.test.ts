import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { tf, initBackend } from "./backend.ts";
import { lstm, type LstmTape } from "./lstm.ts";
import { hasNativeLstm, setNativeLstm } from "./native-lstm.ts";
import { loadNativeAddon } from "./native-matmul.ts";
import { Random } from "./random.ts";

const rng = new Random(5);
const tensor2d = (r: number, c: number, lo = -1, hi = 1) => tf.tensor2d(Float32Array.from({ length: r * c }, () => rng.uniform(lo, hi)), [r, c]);

/** max |a − b| / max |b| */
function relErr(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-12, tf.max(tf.abs(b)).dataSync()[0]));
}

/** Forward with everything recorded and kept, then backward, on the path `native` picks. */
function run(native: boolean, pre: tf.Tensor2D, Wh: tf.Tensor2D, h: tf.Tensor2D, c: tf.Tensor2D, dh: tf.Tensor2D, steps: number) {
  setNativeLstm(native);
  const out = lstm.forward(pre, { Wh }, { h, c }, steps, { tape: true, series: ["c", "i", "f", "o"] });
  const { dPre, dWh } = lstm.backward(out.tape as LstmTape, dh);
  return { h: out.h, hLast: out.state.h, cLast: out.state.c, ...out.series, dPre, dWh };
}

beforeAll(async () => {
  await initBackend("wasm");
});
afterEach(() => setNativeLstm(true));

describe("the native LSTM recurrence", () => {
  it("is installed wherever the native product is", () => {
    if (!loadNativeAddon().addon) return;
    expect(hasNativeLstm()).toBe(true);
  });

  // [T, B, H]: one step, one stream, odd sizes (vector tails), and a training step's per-worker size.
  const cases: [number, number, number][] = [[1, 1, 8], [7, 3, 5], [13, 4, 37], [25, 50, 256]];
  for (const [T, B, H] of cases) {
    it(`gives the tfjs ops' outputs, state and gradients (T ${T}, B ${B}, H ${H})`, () => {
      if (!loadNativeAddon().addon) return;
      tf.tidy(() => {
        // Saturating and not: pre-activations up to ±4, recurrent weights large enough to matter.
        const pre = tensor2d(T * B, 4 * H, -4, 4), Wh = tensor2d(H, 4 * H, -2 / Math.sqrt(H), 2 / Math.sqrt(H));
        const h = tensor2d(B, H, -0.5, 0.5), c = tensor2d(B, H, -2, 2), dh = tensor2d(T * B, H);
        const ops = run(false, pre, Wh, h, c, dh, T);
        const nat = run(true, pre, Wh, h, c, dh, T);
        for (const k of Object.keys(ops) as (keyof typeof ops)[]) {
          expect(nat[k]!.shape, k).toEqual(ops[k]!.shape);
          expect(relErr(nat[k]!, ops[k]!), k).toBeLessThan(2e-5);
        }
      });
    });
  }

  it("without the tape returns h, the state and the asked series only, and they match", () => {
    if (!loadNativeAddon().addon) return;
    const [T, B, H] = [9, 2, 16];
    tf.tidy(() => {
      const pre = tensor2d(T * B, 4 * H, -3, 3), Wh = tensor2d(H, 4 * H, -0.3, 0.3), h = tensor2d(B, H), c = tensor2d(B, H);
      setNativeLstm(false);
      const ops = lstm.forward(pre, { Wh }, { h, c }, T, { series: ["c"] });
      setNativeLstm(true);
      const before = tf.memory().numTensors;
      const nat = lstm.forward(pre, { Wh }, { h, c }, T, { series: ["c"] });
      // h, the state's h and c, tanh(c): the kernel's S and C were disposed.
      expect(tf.memory().numTensors - before).toBe(4);
      expect(Object.keys(nat.series!)).toEqual(["c"]);
      expect(relErr(nat.h, ops.h)).toBeLessThan(2e-5);
      expect(relErr(nat.series!.c, ops.series!.c)).toBeLessThan(2e-5);
      expect(relErr(nat.state.c, ops.state.c)).toBeLessThan(2e-5);
    });
  });

  it("rejects arrays shorter than their shapes instead of reading past them", () => {
    const { addon } = loadNativeAddon();
    if (!addon?.lstmForward || !addon.lstmBackward) return;
    const f = (n: number) => new Float32Array(n);
    // T 2, B 1, H 2: pre needs 16 floats.
    expect(() => addon.lstmForward!(f(15), f(16), f(2), f(2), f(16), f(4), f(4), f(4), 2, 1, 2, 1)).toThrow(/shorter than its shape/);
    expect(() => addon.lstmBackward!(f(16), f(4), f(4), f(2), f(4), f(16), f(15), 2, 1, 2)).toThrow(/shorter than its shape/);
  });
});
