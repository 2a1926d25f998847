/**
 * Samples over training, the lecture's slide "at first: random; train more;
 * train more" made for every model: 200 characters drawn with a fixed seed and
 * prime at a few early iterations (where the text changes most) and at the end
 * of each epoch, kept in model.json (training.samples).
 */
import type { RecurrentCell } from "../model/cell.ts";
import type { Params } from "../model/params.ts";
import { sample } from "../model/sample.ts";
import type { Vocab } from "../corpus/vocab.ts";

/** The iterations sampled besides each epoch's end. */
export const SAMPLE_ITERATIONS: readonly number[] = [100, 300, 500, 700, 1200, 2000];
export const SAMPLE_CHARS = 200;
/** The same draw each time, so two samples differ only by the weights. A newline primes any corpus alike. */
export const SAMPLE_SEED = 42;
export const SAMPLE_PRIME = "\n";
export const SAMPLE_TEMPERATURE = 1;

/** 200 characters from the model's current weights with the fixed seed and prime. */
export function drawTrainingSample(cell: RecurrentCell<unknown>, params: Params, vocab: Vocab): string {
  let text = "";
  const prime = vocab.includes(SAMPLE_PRIME) ? SAMPLE_PRIME : vocab[0];
  for (const c of sample(cell, params, vocab, { length: SAMPLE_CHARS, temperature: SAMPLE_TEMPERATURE, prime, seed: SAMPLE_SEED })) text += c;
  return text;
}
