/**
 * The "hello" example of CS231n lecture 10: a vanilla RNN with a vocabulary of
 * four letters and a hidden layer of three units reads "hell" and learns to
 * predict "ello", each next character. Written like min-char-rnn (plain loops:
 * forward, backpropagation through time, Adagrad), in float64 and without
 * dependencies, so that it runs anywhere: the page draws its forward pass
 * from it, and the page's tfjs training step (hello-rnn-tf.ts) is tested
 * against it.
 *
 * Forward, for t = 1 … T (T = 4, h_0 = 0):
 *
 *   x_t = onehot(input_t)                    x_t ∈ ℝ^V  (V = 4: h, e, l, o)
 *   h_t = tanh(W_hh·h_{t−1} + W_xh·x_t)      h_t ∈ ℝ^H  (H = 3)
 *   y_t = W_hy·h_t                           the scores, y_t ∈ ℝ^V
 *   p_t = softmax(y_t)                       p_t,k = exp(y_t,k) / Σ_j exp(y_t,j)
 *   L   = Σ_t −log p_t[target_t]             cross-entropy, summed over the steps
 *
 * Backward through time, for t = T … 1 (dh_next = 0 at t = T):
 *
 *   dy_t     = p_t − onehot(target_t)
 *   dW_hy   += dy_t·h_tᵀ
 *   dh_t     = W_hyᵀ·dy_t + dh_next
 *   da_t     = (1 − h_t ⊙ h_t) ⊙ dh_t        a_t = W_hh·h_{t−1} + W_xh·x_t, the tanh's argument
 *   dW_xh   += da_t·x_tᵀ
 *   dW_hh   += da_t·h_{t−1}ᵀ
 *   dh_next  = W_hhᵀ·da_t
 *
 * Update, Adagrad as in min-char-rnn: m += g ⊙ g; W −= η·g / √(m + 1e−8), η = 0.1.
 *
 * No biases: the lecture's slide has none, and the example learns without them
 * (h_0 = 0, so the first step's hidden state is a column of W_xh). min-char-rnn's
 * gradient clipping at ±5 is left out too: four steps of three units cannot
 * grow a gradient anywhere near it.
 */
import { Random } from "../model/random.ts";

/** The vocabulary, in index order. */
export const VOCAB = ["h", "e", "l", "o"] as const;
export type Letter = (typeof VOCAB)[number];
/** V: the size of the vocabulary. */
export const V = VOCAB.length;
/** H: the size of the hidden layer. */
export const H = 3;
/** What the network reads, one character per step… */
export const INPUT = "hell";
/** …and what it should predict at each step: the next character of "hello". */
export const TARGET = "ello";
/** T: the number of steps. */
export const T = INPUT.length;
/** η, Adagrad's learning rate (min-char-rnn's). */
export const LEARNING_RATE = 0.1;
/** Adagrad's ε, inside the square root as in min-char-rnn. */
export const ADAGRAD_EPS = 1e-8;
/** Initial weights are N(0, 1) × this: small, so the first tanh is nearly linear and the first guesses nearly uniform. */
export const INIT_SCALE = 0.1;

/** A matrix as rows: `m[i][j]` is row i, column j. */
export type Matrix = number[][];

/**
 * The three weight matrices (or their gradients, or Adagrad's memory of them).
 * - `Wxh`: H × V, input to hidden (column k is what letter k adds to the hidden state)
 * - `Whh`: H × H, hidden to hidden (the recurrence)
 * - `Why`: V × H, hidden to output scores (row k scores letter k)
 */
export interface Weights {
  Wxh: Matrix;
  Whh: Matrix;
  Why: Matrix;
}

export const WEIGHT_NAMES = ["Wxh", "Whh", "Why"] as const;
export type WeightName = (typeof WEIGHT_NAMES)[number];
/** Each matrix's [rows, columns]. */
export const SHAPES: Record<WeightName, readonly [number, number]> = { Wxh: [H, V], Whh: [H, H], Why: [V, H] };

/** The letters of a text as vocabulary indices ("hell" → [0, 1, 2, 2]). */
export function encode(text: string): number[] {
  return [...text].map((c) => {
    const i = (VOCAB as readonly string[]).indexOf(c);
    if (i < 0) throw new Error(`"${c}" is not in the vocabulary (${VOCAB.join(", ")})`);
    return i;
  });
}

const zeros = (rows: number, cols: number): Matrix => Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
const mapWeights = (f: (name: WeightName, rows: number, cols: number) => Matrix): Weights =>
  ({ Wxh: f("Wxh", ...SHAPES.Wxh), Whh: f("Whh", ...SHAPES.Whh), Why: f("Why", ...SHAPES.Why) }) as Weights;

export const zeroWeights = (): Weights => mapWeights((_, r, c) => zeros(r, c));

/**
 * The initial weights of a seed: N(0, 1) × INIT_SCALE from lib/model/random.ts
 * (mulberry32, Box–Muller), drawn row by row, W_xh then W_hh then W_hy. Each is
 * rounded to float32, so that tfjs (float32) starts from exactly these numbers.
 */
export function initWeights(seed: number): Weights {
  const rng = new Random(seed);
  return mapWeights((_, rows, cols) => Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.fround(rng.normal() * INIT_SCALE))));
}

/** Everything the forward pass computes, step by step (index t − 1 for step t). */
export interface Forward {
  inputs: number[];
  targets: number[];
  /** h_1 … h_T, each of H numbers. */
  hs: number[][];
  /** The scores y_1 … y_T, each of V numbers. */
  ys: number[][];
  /** The probabilities p_1 … p_T, each of V numbers summing to 1. */
  ps: number[][];
  /** −log p_t[target_t] at each step. */
  losses: number[];
  /** L, their sum. */
  loss: number;
  /** The most probable letter (index) at each step. */
  predicted: number[];
}

/** A numerically safe softmax (subtracting the largest score changes nothing but the overflow). */
export function softmax(y: readonly number[]): number[] {
  const m = Math.max(...y);
  const e = y.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

const argmax = (v: readonly number[]) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);

/** The forward pass over `inputs` (default "hell") against `targets` (default "ello"). */
export function forward(w: Weights, inputs: number[] = encode(INPUT), targets: number[] = encode(TARGET)): Forward {
  const hs: number[][] = [];
  const ys: number[][] = [];
  const ps: number[][] = [];
  const losses: number[] = [];
  let hPrev = new Array<number>(H).fill(0);
  for (let t = 0; t < inputs.length; t++) {
    // W_xh·x_t with a one-hot x_t is column inputs[t] of W_xh.
    const h = Array.from({ length: H }, (_, i) => Math.tanh(w.Wxh[i][inputs[t]] + w.Whh[i].reduce((s, wij, j) => s + wij * hPrev[j], 0)));
    const y = Array.from({ length: V }, (_, k) => w.Why[k].reduce((s, wkj, j) => s + wkj * h[j], 0));
    const p = softmax(y);
    hs.push(h);
    ys.push(y);
    ps.push(p);
    losses.push(-Math.log(p[targets[t]]));
    hPrev = h;
  }
  return { inputs, targets, hs, ys, ps, losses, loss: losses.reduce((a, b) => a + b, 0), predicted: ps.map(argmax) };
}

/** ∂L/∂W for each matrix, by backpropagation through time (the equations at the top). */
export function backward(w: Weights, f: Forward): Weights {
  const g = zeroWeights();
  let dhNext = new Array<number>(H).fill(0);
  for (let t = f.inputs.length - 1; t >= 0; t--) {
    const h = f.hs[t];
    const hPrev = t > 0 ? f.hs[t - 1] : new Array<number>(H).fill(0);
    const dy = f.ps[t].map((p, k) => p - (k === f.targets[t] ? 1 : 0));
    for (let k = 0; k < V; k++) for (let j = 0; j < H; j++) g.Why[k][j] += dy[k] * h[j];
    const dh = Array.from({ length: H }, (_, j) => dhNext[j] + dy.reduce((s, dyk, k) => s + w.Why[k][j] * dyk, 0));
    const da = dh.map((d, i) => (1 - h[i] * h[i]) * d);
    for (let i = 0; i < H; i++) {
      g.Wxh[i][f.inputs[t]] += da[i];
      for (let j = 0; j < H; j++) g.Whh[i][j] += da[i] * hPrev[j];
    }
    dhNext = Array.from({ length: H }, (_, j) => da.reduce((s, dai, i) => s + w.Whh[i][j] * dai, 0));
  }
  return g;
}

/** Adagrad's update: returns the new weights and memory (the arguments are left as they are). */
export function adagrad(w: Weights, memory: Weights, grads: Weights, lr = LEARNING_RATE): { weights: Weights; memory: Weights } {
  const mem = mapWeights((name) => memory[name].map((row, i) => row.map((m, j) => m + grads[name][i][j] ** 2)));
  const weights = mapWeights((name) => w[name].map((row, i) => row.map((x, j) => x - (lr * grads[name][i][j]) / Math.sqrt(mem[name][i][j] + ADAGRAD_EPS))));
  return { weights, memory: mem };
}

/** Where training stands: the weights, Adagrad's memory, and how many steps were taken from the seed. */
export interface TrainState {
  seed: number;
  step: number;
  weights: Weights;
  memory: Weights;
}

export const initState = (seed: number): TrainState => ({ seed, step: 0, weights: initWeights(seed), memory: zeroWeights() });

/** One step of training on "hell" → "ello": forward, backward, Adagrad. */
export function trainStep(s: TrainState): TrainState {
  const g = backward(s.weights, forward(s.weights));
  return { seed: s.seed, step: s.step + 1, ...adagrad(s.weights, s.memory, g) };
}

/** `steps` steps from the seed's initial weights, in float64. */
export function train(seed: number, steps: number): TrainState {
  let s = initState(seed);
  for (let i = 0; i < steps; i++) s = trainStep(s);
  return s;
}

/** Whether the network predicts every target ("ello") right. */
export const allCorrect = (f: Forward) => f.predicted.every((p, t) => p === f.targets[t]);

/**
 * What the page trains with: the float64 steps above behind the interface of
 * hello-rnn-tf.ts's TfHelloTrainer (which a test keeps within 1e-5 of these).
 * The page used tfjs itself at first; bundling tfjs for one page made a
 * production build take over ten minutes here, against a minute without.
 */
export class HelloTrainer {
  private s: TrainState;
  constructor(state: TrainState) {
    this.s = state;
  }
  get seed(): number {
    return this.s.seed;
  }
  get step(): number {
    return this.s.step;
  }
  train(steps: number): void {
    for (let i = 0; i < steps; i++) this.s = trainStep(this.s);
  }
  read(): TrainState {
    return this.s;
  }
  dispose(): void {}
}
