/**
 * One training step: forward and backward over a chunk, clip, update. Shared
 * by the training loop and the training benchmark.
 */
import * as tf from "@tensorflow/tfjs";
import type { Tensor } from "@tensorflow/tfjs";
import type { CellState, RecurrentCell } from "../model/cell.ts";
import type { ModelConfig } from "../model/config.ts";
import { lossAndGrads, makeMasks, type Chunk, type LossReduction } from "../model/network.ts";
import { applyUpdate, clipGradients, type OptimizerConfig, type OptimizerState, type WeightCopies } from "../model/optimizer.ts";
import { fromNamed, toNamed, type Params } from "../model/params.ts";
import type { Random } from "../model/random.ts";

export interface TrainerState {
  params: Params;
  opt: OptimizerState;
  /** Cell state carried into the next chunk, per layer. */
  state: CellState[];
}

function tensorsOf(s: TrainerState): Tensor[] {
  return [...Object.values(toNamed(s.params as Params<Tensor, Tensor>)), ...Object.values(s.opt.m), ...Object.values(s.opt.v), ...s.state.flatMap((x) => Object.values(x))];
}

export function disposeTrainer(s: TrainerState): void {
  tf.dispose(tensorsOf(s));
}

/**
 * Runs one step and returns the chunk's mean loss (nats/char), measured before
 * the update; replaces (and frees) the old tensors in `s`. `reduction`: what
 * the gradients are of (network.ts).
 */
export function trainStep(
  cell: RecurrentCell<unknown>,
  config: ModelConfig,
  optCfg: OptimizerConfig,
  lr: number,
  s: TrainerState,
  chunk: Chunk,
  rng: Random,
  reduction: LossReduction = "mean",
  /** Weights held more than once, as in PyTorch (optimizer.ts). */
  copies: WeightCopies = {},
): number {
  const out = tf.tidy(() => {
    const masks = makeMasks(rng, config.layers, chunk.steps * chunk.batch, config.hidden, config.dropout);
    const r = lossAndGrads(cell, s.params, chunk, s.state, masks, reduction);
    return { loss: r.loss, ...updateWeights(optCfg, lr, s, toNamed(r.grads as Params<Tensor, Tensor>), copies), state: r.state as unknown as Record<string, Tensor>[] };
  });
  const loss = out.loss.dataSync()[0];
  out.loss.dispose();
  adoptStep(s, config, out);
  return loss;
}

/**
 * One optimizer update from summed gradients: clip by global norm, then the
 * optimizer's rule (optimizer.ts). The new weights and moments; call inside
 * tf.tidy. Shared by trainStep and the data-parallel step.
 */
export function updateWeights(optCfg: OptimizerConfig, lr: number, s: TrainerState, grads: Record<string, Tensor>, copies: WeightCopies = {}): { w: Record<string, Tensor>; m: Record<string, Tensor>; v: Record<string, Tensor> } {
  const u = applyUpdate(optCfg, lr, toNamed(s.params as Params<Tensor, Tensor>), clipGradients(optCfg, grads, copies), s.opt, copies);
  return { w: u.weights, m: u.state.m, v: u.state.v };
}

/** Replaces (and frees) the trainer's weights, moments and carried state with a step's. */
export function adoptStep(s: TrainerState, config: ModelConfig, out: { w: Record<string, Tensor>; m: Record<string, Tensor>; v: Record<string, Tensor>; state: Record<string, Tensor>[] }): void {
  disposeTrainer(s);
  s.params = fromNamed(out.w, config.layers) as Params;
  s.opt = { step: s.opt.step + 1, m: out.m, v: out.v };
  s.state = out.state as unknown as CellState[];
}
