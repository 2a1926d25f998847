import { afterAll, describe, expect, it } from "vitest";
import { Random } from "../model/random.ts";
import {
  allCorrect,
  backward,
  encode,
  forward,
  H,
  initState,
  initWeights,
  SHAPES,
  TARGET,
  train,
  trainStep,
  V,
  WEIGHT_NAMES,
  zeroWeights,
  type Weights,
} from "./hello-rnn.ts";
import { createTrainer, type TfHelloTrainer } from "./hello-rnn-tf.ts";

/** The largest absolute difference between two sets of weights. */
const maxDiff = (a: Weights, b: Weights) => Math.max(...WEIGHT_NAMES.flatMap((n) => a[n].flatMap((row, i) => row.map((x, j) => Math.abs(x - b[n][i][j])))));

/** Weights of any size (N(0, 1) × scale), to test the gradients away from the small initial ones too. */
function randomWeights(seed: number, scale: number): Weights {
  const rng = new Random(seed);
  const w = zeroWeights();
  for (const n of WEIGHT_NAMES) for (const row of w[n]) row.forEach((_, j) => (row[j] = rng.normal() * scale));
  return w;
}

describe("the hello RNN, in plain float64", () => {
  it("draws the same small float32 initial weights from the same seed, and other ones from another", () => {
    const a = initWeights(7);
    expect(initWeights(7)).toEqual(a);
    expect(maxDiff(initWeights(8), a)).toBeGreaterThan(0.01);
    for (const n of WEIGHT_NAMES) {
      expect([a[n].length, a[n][0].length]).toEqual([...SHAPES[n]]);
      for (const x of a[n].flat()) {
        expect(Math.fround(x)).toBe(x);
        expect(Math.abs(x)).toBeLessThan(0.5);
      }
    }
  });

  it("with zero weights guesses uniformly: every probability 1/4, the loss 4·ln 4", () => {
    const f = forward(zeroWeights());
    expect(f.hs).toEqual(Array.from({ length: 4 }, () => [0, 0, 0]));
    for (const p of f.ps) for (const x of p) expect(x).toBeCloseTo(0.25, 15);
    expect(f.loss).toBeCloseTo(4 * Math.log(4), 12);
  });

  it("computes each step by the equations: h_t = tanh(W_hh·h_{t−1} + W_xh·x_t), y_t = W_hy·h_t, the loss −log p_t[target]", () => {
    const w = randomWeights(3, 1);
    const f = forward(w);
    // Step 2 reads "e" (index 1) after h_1, by hand.
    const h2 = [0, 1, 2].map((i) => Math.tanh(w.Wxh[i][1] + w.Whh[i][0] * f.hs[0][0] + w.Whh[i][1] * f.hs[0][1] + w.Whh[i][2] * f.hs[0][2]));
    f.hs[1].forEach((x, i) => expect(x).toBeCloseTo(h2[i], 14));
    const y2 = [0, 1, 2, 3].map((k) => w.Why[k][0] * h2[0] + w.Why[k][1] * h2[1] + w.Why[k][2] * h2[2]);
    f.ys[1].forEach((x, k) => expect(x).toBeCloseTo(y2[k], 14));
    const z = y2.reduce((s, y) => s + Math.exp(y), 0);
    expect(f.losses[1]).toBeCloseTo(-Math.log(Math.exp(y2[2]) / z), 12); // the target after "he" is "l"
    for (const p of f.ps) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
  });

  it("backpropagates through time: every gradient matches float64 central finite differences", () => {
    const eps = 1e-6;
    // The initial weights of two seeds, and larger ones where tanh bends.
    for (const w of [initWeights(1), initWeights(40), randomWeights(5, 1), randomWeights(6, 2)]) {
      const g = backward(w, forward(w));
      for (const n of WEIGHT_NAMES) {
        for (let i = 0; i < SHAPES[n][0]; i++) {
          for (let j = 0; j < SHAPES[n][1]; j++) {
            const x = w[n][i][j];
            w[n][i][j] = x + eps;
            const up = forward(w).loss;
            w[n][i][j] = x - eps;
            const down = forward(w).loss;
            w[n][i][j] = x;
            const numeric = (up - down) / (2 * eps);
            expect(Math.abs(g[n][i][j] - numeric), `${n}[${i}][${j}]: ${g[n][i][j]} vs ${numeric}`).toBeLessThan(1e-8 + 1e-6 * Math.abs(numeric));
          }
        }
      }
      // The step that reads "h" first has no h_{t−1}: W_xh's gradient is nonzero in columns h, e, l only ("o" is never read).
      expect(g.Wxh.map((row) => row[3])).toEqual([0, 0, 0]);
    }
  });

  it("trains: from seeds 1 to 20, 100 Adagrad steps predict e, l, l, o at all four steps, the loss far below the start", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const start = forward(initWeights(seed));
      const end = forward(train(seed, 100).weights);
      expect(end.predicted, `seed ${seed}`).toEqual(encode(TARGET));
      expect(end.loss, `seed ${seed}`).toBeLessThan(start.loss / 10);
    }
    // The seed the end-to-end test starts from: wrong at first, right after 100 steps.
    expect(allCorrect(forward(initWeights(40)))).toBe(false);
    expect(allCorrect(forward(train(40, 100).weights))).toBe(true);
  });

  it("counts its steps and takes the same step from the same state", () => {
    const s = trainStep(initState(3));
    expect(s.step).toBe(1);
    expect(train(3, 1)).toEqual(s);
    expect(maxDiff(s.weights, initWeights(3))).toBeGreaterThan(0.05); // Adagrad's first step moves a weight by about η = 0.1
    expect(H * V + H * H + V * H).toBe(WEIGHT_NAMES.reduce((n, k) => n + SHAPES[k][0] * SHAPES[k][1], 0));
  });
});

describe("the page's tfjs training step (CPU backend) agrees with the plain module", () => {
  const trainers: TfHelloTrainer[] = [];
  afterAll(() => trainers.forEach((t) => t.dispose()));
  const trainer = async (seed: number) => {
    const t = await createTrainer(initState(seed));
    trainers.push(t);
    return t;
  };

  it("tfjs autograd gives the same loss and gradients as the hand-written backward pass, to 1e-5", async () => {
    for (const seed of [1, 7, 40]) {
      const t = await trainer(seed);
      const w = initWeights(seed);
      const f = forward(w);
      const { loss, grads } = t.gradients();
      expect(Math.abs(loss - f.loss)).toBeLessThan(1e-5);
      expect(maxDiff(grads, backward(w, f))).toBeLessThan(1e-5);
      // Not vacuous: the gradients are far from zero.
      expect(maxDiff(grads, zeroWeights())).toBeGreaterThan(0.05);
    }
  });

  it("one step, and 150, land on the same weights and Adagrad memory as float64 training, to 1e-5, with the same predictions", async () => {
    for (const seed of [7, 40]) {
      const t = await trainer(seed);
      t.train(1);
      expect(maxDiff(t.read().weights, train(seed, 1).weights)).toBeLessThan(1e-5);
      t.train(149);
      const tf = t.read();
      const plain = train(seed, 150);
      expect(tf.step).toBe(150);
      expect(maxDiff(tf.weights, plain.weights)).toBeLessThan(1e-5);
      expect(maxDiff(tf.memory, plain.memory)).toBeLessThan(1e-5 * Math.max(1, ...WEIGHT_NAMES.flatMap((n) => plain.memory[n].flat())));
      expect(forward(tf.weights).predicted).toEqual(forward(plain.weights).predicted);
    }
  });

  it("is deterministic: the same seed and step count give bit-identical weights, however the steps are grouped", async () => {
    const a = await trainer(40);
    a.train(150);
    const b = await trainer(40);
    for (let i = 0; i < 15; i++) b.train(i % 2 ? 1 : 9);
    b.train(150 - b.step);
    expect(b.read()).toEqual(a.read());
  });
});
