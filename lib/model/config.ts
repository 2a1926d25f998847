/** A model's architecture, validated: what `train` accepts and what a model file stores. */
import { z } from "zod";
import { cellByName, CELL_NAMES } from "./cells.ts";

export const ModelConfig = z.object({
  // A model file written before there were other cells has no `cell`: it is an LSTM.
  cell: z.enum(CELL_NAMES, { message: `cell must be one of ${CELL_NAMES.join(", ")}` }).default("lstm"),
  layers: z.number().int().min(1, "layers must be 1 to 3").max(3, "layers must be 1 to 3"),
  hidden: z.number().int().min(32, "hidden must be 32 to 1024").max(1024, "hidden must be 32 to 1024"),
  vocabSize: z.number().int().min(2, "the vocabulary needs at least 2 characters"),
  dropout: z.number().min(0).max(0.9, "dropout must be in [0, 0.9]").default(0),
});
export type ModelConfig = z.infer<typeof ModelConfig>;

/** Number of weights of a model (its cell's extra weights included). */
export function countParams(c: ModelConfig): number {
  const cell = cellByName(c.cell);
  const extra = Object.values(cell.extraParams ?? {}).reduce((n, p) => n + p.shape(c.hidden).reduce((a, b) => a * b, 1), 0);
  let n = 0;
  for (let l = 0; l < c.layers; l++) {
    const inputs = l === 0 ? c.vocabSize : c.hidden;
    n += (inputs + c.hidden + 1) * cell.gates * c.hidden + extra;
  }
  return n + (c.hidden + 1) * c.vocabSize;
}

/**
 * Matmul FLOPs per character of one training step (forward + backward),
 * counting only products actually computed (the one-hot input of layer 0 is a
 * row lookup, not a product, so it costs no FLOPs here).
 */
export function trainFlopsPerChar(c: ModelConfig): number {
  const G = cellByName(c.cell).gates * c.hidden;
  let fwd = 0;
  for (let l = 0; l < c.layers; l++) fwd += 2 * c.hidden * G + (l > 0 ? 2 * c.hidden * G : 0);
  fwd += 2 * c.hidden * c.vocabSize;
  let bwd = 0;
  for (let l = 0; l < c.layers; l++) {
    bwd += 2 * 2 * c.hidden * G; // dh·Whᵀ in the loop and hᵀ·dz for dWh
    if (l > 0) bwd += 2 * 2 * c.hidden * G; // dX and dWx
  }
  bwd += 2 * 2 * c.hidden * c.vocabSize;
  return fwd + bwd;
}

/** Matmul FLOPs per character of inference (recording, evaluation). */
export function forwardFlopsPerChar(c: ModelConfig): number {
  const G = cellByName(c.cell).gates * c.hidden;
  let fwd = 0;
  for (let l = 0; l < c.layers; l++) fwd += 2 * c.hidden * G + (l > 0 ? 2 * c.hidden * G : 0);
  return fwd + 2 * c.hidden * c.vocabSize;
}
