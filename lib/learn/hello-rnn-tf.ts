/**
 * The "hello" example's training step in TensorFlow.js, for /learn/hello: the
 * page trains in the browser, on tfjs's CPU backend (plain JavaScript: no
 * WebGL, no wasm, no eval, so the app's CSP stands). The equations are
 * hello-rnn.ts's, written with tfjs ops; tfjs autograd takes the gradients
 * and Adagrad is applied in float32. hello-rnn.test.ts checks that the two
 * agree. The page imports this module dynamically, so no other page loads tfjs.
 *
 * The full @tensorflow/tfjs, as the engine uses: tfjs-core and its CPU backend
 * alone would be a smaller download, but tfjs-core registers its gradients
 * from files Node cannot import (extensionless ESM), and the test must run
 * this very module. Nothing starts the WebGL backend it brings along: the
 * CPU backend is chosen before the first op.
 */
import * as tf from "@tensorflow/tfjs";
import { ADAGRAD_EPS, encode, INPUT, LEARNING_RATE, SHAPES, TARGET, V, WEIGHT_NAMES, type Matrix, type TrainState, type WeightName, type Weights } from "./hello-rnn.ts";

let ready: Promise<boolean> | null = null;

/** Selects the CPU backend, once. */
export function useCpuBackend(): Promise<boolean> {
  ready ??= tf.setBackend("cpu");
  return ready;
}

const toTensor = (m: Matrix, name: WeightName) => tf.tensor2d(m.flat(), [...SHAPES[name]], "float32");

function toMatrix(t: tf.Tensor, name: WeightName): Matrix {
  const [rows, cols] = SHAPES[name];
  const v = t.dataSync();
  return Array.from({ length: rows }, (_, i) => Array.from(v.subarray(i * cols, (i + 1) * cols)));
}

type Vars = Record<WeightName, tf.Variable>;

/**
 * L for "hell" → "ello" (hello-rnn.ts's equations). x_t and h_t are columns,
 * as in the lecture; the scores of all steps are taken at once as the rows of
 * H_allᵀ·W_hyᵀ (T × V), because tfjs's log-softmax works along the last axis.
 */
function lossOf(w: Vars, xs: tf.Tensor2D[], targets: tf.Tensor2D): tf.Scalar {
  let h: tf.Tensor2D = tf.zeros([SHAPES.Whh[0], 1]);
  const hs: tf.Tensor2D[] = [];
  for (const x of xs) {
    h = tf.tanh(tf.add<tf.Tensor2D>(tf.matMul(w.Whh, h), tf.matMul(w.Wxh, x)));
    hs.push(h);
  }
  const scores = tf.matMul(tf.concat(hs, 1), w.Why, true, true);
  return tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(scores)))) as tf.Scalar;
}

/**
 * Training held in tfjs variables: the weights and Adagrad's memory stay in
 * the backend between steps and are read back only when the page draws.
 * Dispose it when done.
 */
export class TfHelloTrainer {
  readonly seed: number;
  step: number;
  private readonly w: Vars;
  private readonly m: Vars;
  private readonly xs: tf.Tensor2D[];
  private readonly targets: tf.Tensor2D;

  constructor(state: TrainState) {
    this.seed = state.seed;
    this.step = state.step;
    const vars = (ws: Weights, tag: string) => Object.fromEntries(WEIGHT_NAMES.map((n) => [n, tf.variable(toTensor(ws[n], n), true, `hello.${tag}.${n}.${nextId++}`)])) as Vars;
    this.w = vars(state.weights, "w");
    this.m = vars(state.memory, "m");
    this.xs = encode(INPUT).map((i) => tf.tidy(() => tf.transpose(tf.cast(tf.oneHot([i], V), "float32")) as tf.Tensor2D));
    this.targets = tf.tidy(() => tf.cast(tf.oneHot(encode(TARGET), V), "float32") as tf.Tensor2D);
  }

  /** ∂L/∂W by tfjs autograd, at the current weights, as plain matrices; and L. */
  gradients(): { loss: number; grads: Weights } {
    const { value, grads } = tf.variableGrads(() => lossOf(this.w, this.xs, this.targets), WEIGHT_NAMES.map((n) => this.w[n]));
    const out = { loss: value.dataSync()[0], grads: Object.fromEntries(WEIGHT_NAMES.map((n) => [n, toMatrix(grads[this.w[n].name], n)])) as unknown as Weights };
    tf.dispose([value, ...Object.values(grads)]);
    return out;
  }

  /** `steps` steps of training: forward, autograd, Adagrad (m += g²; W −= η·g/√(m + ε)). */
  train(steps: number): void {
    for (let s = 0; s < steps; s++) {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => lossOf(this.w, this.xs, this.targets), WEIGHT_NAMES.map((n) => this.w[n]));
        for (const n of WEIGHT_NAMES) {
          const g = grads[this.w[n].name];
          this.m[n].assign(tf.add(this.m[n], tf.square(g)));
          this.w[n].assign(tf.sub(this.w[n], tf.div(tf.mul(g, LEARNING_RATE), tf.sqrt(tf.add(this.m[n], ADAGRAD_EPS)))));
        }
      });
      this.step++;
    }
  }

  /** Where training stands, as plain numbers (float32 values). */
  read(): TrainState {
    const read = (vs: Vars) => Object.fromEntries(WEIGHT_NAMES.map((n) => [n, toMatrix(vs[n], n)])) as unknown as Weights;
    return { seed: this.seed, step: this.step, weights: read(this.w), memory: read(this.m) };
  }

  dispose(): void {
    for (const n of WEIGHT_NAMES) {
      this.w[n].dispose();
      this.m[n].dispose();
    }
    tf.dispose([...this.xs, this.targets]);
  }
}

/** Variable names are global in tfjs: a page that resets makes new ones. */
let nextId = 0;

/** A trainer on the CPU backend, starting from `state` (hello-rnn.ts's initState(seed) for a fresh start). */
export async function createTrainer(state: TrainState): Promise<TfHelloTrainer> {
  await useCpuBackend();
  return new TfHelloTrainer(state);
}
