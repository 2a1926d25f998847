/**
 * Sampling text from a model: read the prime text, then repeatedly draw the
 * next character from softmax(logits / temperature) and feed it back; with
 * `clamp`, some units are held at values all along (steering the model).
 */
import * as tf from "@tensorflow/tfjs";
import { zeroState, type RecurrentCell } from "./cell.ts";
import { encode, type Vocab } from "../corpus/vocab.ts";
import { forward } from "./network.ts";
import type { Params } from "./params.ts";
import { Random } from "./random.ts";
import { layerHolds, type HeldUnit } from "./hold.ts";

export interface SampleOptions {
  length: number;
  temperature: number;
  prime?: string;
  seed?: number;
  /** Units held at values at every step, the prime included (lib/model/hold.ts). */
  clamp?: readonly HeldUnit[];
}

/** Yields generated characters one at a time (so callers can stream them). */
export function* sample(cell: RecurrentCell<unknown>, params: Params, vocab: Vocab, opts: SampleOptions): Generator<string> {
  if (!(opts.temperature > 0)) throw new Error("temperature must be a positive number");
  const rng = new Random(opts.seed ?? 1);
  const H = params.layers[0].Wh.shape[0];
  const primeIds = encode(opts.prime || "\n", vocab);
  let state = params.layers.map(() => zeroState(cell, 1, H));
  const holds = opts.clamp?.length ? layerHolds(cell, params.layers.length, H, opts.clamp) : undefined;
  let probs: Float32Array | undefined;
  const step = (ids: Int32Array) => {
    const out = tf.tidy(() => {
      const r = forward(cell, params, ids, ids.length, state, [], holds);
      const last = tf.slice(r.logp, [ids.length - 1, 0], [1, -1]);
      return { p: tf.softmax(tf.div(last, opts.temperature)), state: r.state };
    });
    tf.dispose(state.flatMap((s) => Object.values(s)));
    state = out.state;
    probs = out.p.dataSync() as Float32Array;
    out.p.dispose();
  };
  step(primeIds);
  try {
    for (let i = 0; i < opts.length; i++) {
      const next = rng.choice(probs!);
      yield vocab[next];
      if (i + 1 < opts.length) step(Int32Array.of(next));
    }
  } finally {
    tf.dispose(state.flatMap((s) => Object.values(s)));
  }
}
