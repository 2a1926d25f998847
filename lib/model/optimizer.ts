/**
 * Optimizers and gradient clipping. The state lives in plain tensors so a
 * checkpoint can save and restore it exactly.
 *
 * Clipping, before the update (`clip` = c):
 *   norm:   g ← g · min(1, c / ‖g‖₂), the norm taken over all weights together (char-rnn; the default)
 *   value:  g ← min(c, max(−c, g)) elementwise (min-char-rnn's np.clip(g, −5, 5))
 *
 *   adam:     m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²;  w −= lr·m̂ / (√v̂ + ε)
 *   rmsprop:  v = decay·v + (1 − decay)·g²;                    w −= lr·g / (√v + ε)
 *   adagrad:  v = v + g²;                                      w −= lr·g / √(v + ε)
 *             (min-char-rnn's update: ε inside the root, as it writes it)
 *
 * `copies` (elementwise, 1 where absent) counts weights another implementation
 * holds more than once: PyTorch's and char-rnn's cells carry two bias vectors
 * per gate (b_ih, b_hh) that only ever act as their sum. Each copy gets the
 * same gradient and takes its own step, so the sum moves by `copies` steps,
 * and each copy adds its g² to the norm that clipping reads. With copies the
 * update is exactly theirs (lib/model/torch-weights.ts, biasCopies).
 */
import * as tf from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs";
import { z } from "zod";

export const OPTIMIZERS = ["adam", "rmsprop", "adagrad"] as const;
export const CLIP_MODES = ["norm", "value"] as const;
export type ClipMode = (typeof CLIP_MODES)[number];

export const OptimizerConfig = z.object({
  kind: z.enum(OPTIMIZERS).default("adam"),
  lr: z.number().positive("the learning rate must be positive").default(2e-3),
  beta1: z.number().min(0).max(1).default(0.9),
  beta2: z.number().min(0).max(1).default(0.999),
  /** RMSProp's moving-average decay. */
  decay: z.number().min(0).max(1).default(0.95),
  eps: z.number().positive().default(1e-8),
  clip: z.number().positive().default(5),
  clipMode: z.enum(CLIP_MODES).default("norm"),
});
export type OptimizerConfig = z.infer<typeof OptimizerConfig>;

/** Per-weight moments (m: first, v: second; Adagrad's running sum of g² is v) and the step count. */
export interface OptimizerState {
  step: number;
  m: Record<string, Tensor>;
  v: Record<string, Tensor>;
}

export function initOptimizerState(weights: Record<string, Tensor>): OptimizerState {
  const zeros = (t: Tensor) => tf.zerosLike(t);
  return {
    step: 0,
    m: Object.fromEntries(Object.entries(weights).map(([k, t]) => [k, zeros(t)])),
    v: Object.fromEntries(Object.entries(weights).map(([k, t]) => [k, zeros(t)])),
  };
}

/** How many times each weight element is held (see above); absent weights are held once. */
export type WeightCopies = Record<string, Tensor>;

/** Scales all gradients so their global L2 norm (each copy counted) is at most `maxNorm`; returns the norm before clipping. */
export function clipByGlobalNorm(grads: Record<string, Tensor>, maxNorm: number, copies: WeightCopies = {}): { grads: Record<string, Tensor>; norm: number } {
  const norm = Math.sqrt(
    tf.tidy(() => tf.addN(Object.entries(grads).map(([k, g]) => tf.sum(copies[k] ? tf.mul(tf.square(g), copies[k]) : tf.square(g)))).dataSync()[0]),
  );
  if (!(norm > maxNorm)) return { grads, norm };
  const scale = maxNorm / norm;
  return { grads: Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, scale)])), norm };
}

/** Each gradient element clamped to [−maxValue, maxValue]. */
export function clipByValue(grads: Record<string, Tensor>, maxValue: number): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.clipByValue(g, -maxValue, maxValue)]));
}

/** Clips the gradients as the config says (`clipMode`, `clip`). */
export function clipGradients(cfg: Pick<OptimizerConfig, "clip" | "clipMode">, grads: Record<string, Tensor>, copies: WeightCopies = {}): Record<string, Tensor> {
  return cfg.clipMode === "value" ? clipByValue(grads, cfg.clip) : clipByGlobalNorm(grads, cfg.clip, copies).grads;
}

/**
 * One update. Returns the new weights and state; the caller disposes the old
 * ones (kept outside tf.tidy by the training loop).
 */
export function applyUpdate(
  cfg: OptimizerConfig,
  lr: number,
  weights: Record<string, Tensor>,
  grads: Record<string, Tensor>,
  state: OptimizerState,
  copies: WeightCopies = {},
): { weights: Record<string, Tensor>; state: OptimizerState } {
  const step = state.step + 1;
  const w: Record<string, Tensor> = {};
  const m: Record<string, Tensor> = {};
  const v: Record<string, Tensor> = {};
  for (const k of Object.keys(weights)) {
    const g = grads[k];
    if (cfg.kind === "adam") {
      m[k] = tf.add(tf.mul(state.m[k], cfg.beta1), tf.mul(g, 1 - cfg.beta1));
      v[k] = tf.add(tf.mul(state.v[k], cfg.beta2), tf.mul(tf.square(g), 1 - cfg.beta2));
      const stepSize = (lr * Math.sqrt(1 - cfg.beta2 ** step)) / (1 - cfg.beta1 ** step);
      w[k] = tf.sub(weights[k], tf.mul(tf.div(m[k], tf.add(tf.sqrt(v[k]), cfg.eps)), stepSize));
    } else if (cfg.kind === "rmsprop") {
      m[k] = state.m[k].clone();
      v[k] = tf.add(tf.mul(state.v[k], cfg.decay), tf.mul(tf.square(g), 1 - cfg.decay));
      w[k] = tf.sub(weights[k], tf.mul(tf.div(g, tf.add(tf.sqrt(v[k]), cfg.eps)), lr));
    } else {
      m[k] = state.m[k].clone();
      v[k] = tf.add(state.v[k], tf.square(g));
      w[k] = tf.sub(weights[k], tf.mul(tf.div(g, tf.sqrt(tf.add(v[k], cfg.eps))), lr));
    }
  }
  for (const k of Object.keys(copies)) {
    if (w[k]) w[k] = tf.add(weights[k], tf.mul(tf.sub(w[k], weights[k]), copies[k]));
  }
  return { weights: w, state: { step, m, v } };
}
