/**
 * How well a model predicts a kind of character by its column: the question
 * behind the 2015 paper's line-length cell. War and Peace is hard-wrapped near
 * column 70, so a model that knows the column should find the newline there
 * almost free; one that does not pays ~3 nats for each.
 *
 *   column(o) = characters between the last newline before offset o and o
 *               (0 for the first character of a line; a newline ending a
 *               72-character line is at column 72)
 *   loss(o)   = −ln p(text[o] | text[<o]), the recording's per-character loss
 *
 * Per bucket of columns [from, to): how many characters, their mean loss, and
 * for the target class (by default "\n") how many, their mean loss and the
 * mean probability the model gave them (exp(−loss)).
 *
 * With a wider `given` class (e.g. " \n", the characters that end a word),
 * each target's loss splits in two:
 *   −ln p(target) = −ln p(given) + −ln p(target | given)
 *   classNats     = mean −ln p(given)             ("a word ends here")
 *   givenNats     = mean −ln (p(target) / p(given)) ("…and the line with it")
 * A model that knows where lines wrap pays little of the second part; the
 * first is the uncertainty about where the word ends, which a newline shares
 * with a space mid-line. p(given) is read from the recording's top-5 guesses
 * (plus the target's own probability): a member outside the top 5 counts as
 * 0, so classNats is at most that much too high.
 */
import { InputError } from "../api/errors.ts";
import { openBulk, readChars, TOP_N } from "../store/activations.ts";
import { getModelContext, recordingText } from "./model-context.ts";
import { modelVocab } from "../inspect/inspect-char.ts";

export interface ColumnBucket {
  /** Columns [from, to); `to` null for the last, open bucket. */
  from: number;
  to: number | null;
  chars: number;
  /** Mean loss of every character in these columns (nats), null when none. */
  nats: number | null;
  /** Characters of the target class in these columns. */
  targets: number;
  targetNats: number | null;
  /** Mean probability given to the target characters that occurred. */
  targetP: number | null;
  /** With a `given` class: mean −ln p(given) at the targets, and mean −ln p(target | given). */
  classNats?: number | null;
  givenNats?: number | null;
}

export interface LossByColumn {
  /** The target class as written ("\n"). */
  target: string;
  /** The class the target's loss is split by (e.g. " \n"), when asked for. */
  given?: string;
  width: number;
  /** Characters scored (the recording's, less the first, which has no loss). */
  chars: number;
  buckets: ColumnBucket[];
}

export interface ColumnOptions {
  /** Characters counted as the target class (default: the newline). */
  target?: string;
  /** Bucket width in columns (default 10). */
  width?: number;
  /** Columns at or past this share the last bucket (default 100). */
  last?: number;
  /** A class holding the target (e.g. " \n") to split each target's loss by. */
  given?: string;
}

/**
 * The buckets for a text and its losses. `losses[o]` is the loss of
 * `chars[o]` (NaN where unknown); `context` is the text before `chars[0]`,
 * which says the first line's column.
 */
export function lossByColumn(chars: string[], losses: ArrayLike<number>, context: string, opts: ColumnOptions = {}, givenP?: ArrayLike<number>): LossByColumn {
  const target = opts.target ?? "\n";
  const width = opts.width ?? 10;
  const last = opts.last ?? 100;
  if (!(Number.isInteger(width) && width >= 1)) throw new InputError("the bucket width must be a whole number ≥ 1", "bad_width");
  if (!(Number.isInteger(last) && last >= width && last <= 10_000)) throw new InputError(`the last bucket must start at a whole column from the width (${width}) to 10000`, "bad_width");
  if (target.length === 0) throw new InputError("the target class needs at least one character", "bad_target");
  const isTarget = new Set(Array.from(target));
  const given = opts.given;
  if (given !== undefined && !Array.from(target).every((c) => given.includes(c))) throw new InputError("the given class must hold every target character", "bad_target");
  if (given !== undefined && !givenP) throw new Error("lossByColumn: a given class needs its probabilities");
  const nb = Math.ceil(last / width) + 1; // the last one is [last, ∞)
  const count = new Float64Array(nb), sum = new Float64Array(nb);
  const tCount = new Float64Array(nb), tSum = new Float64Array(nb), tP = new Float64Array(nb);
  const cSum = new Float64Array(nb);
  const nl = context.lastIndexOf("\n");
  let col = nl < 0 ? Array.from(context).length : Array.from(context.slice(nl + 1)).length;
  let scored = 0;
  for (let o = 0; o < chars.length; o++) {
    const ch = chars[o];
    const loss = losses[o];
    if (Number.isFinite(loss)) {
      const b = col >= last ? nb - 1 : Math.floor(col / width);
      count[b]++;
      sum[b] += loss;
      scored++;
      if (isTarget.has(ch)) {
        tCount[b]++;
        tSum[b] += loss;
        tP[b] += Math.exp(-loss);
        // p(target) ≤ p(given) ≤ 1 whatever the rounding of the stored guesses.
        if (givenP) cSum[b] += -Math.log(Math.min(1, Math.max(givenP[o], Math.exp(-loss))));
      }
    }
    col = ch === "\n" ? 0 : col + 1;
  }
  const mean = (s: number, n: number) => (n > 0 ? s / n : null);
  const buckets: ColumnBucket[] = [];
  for (let b = 0; b < nb; b++) {
    const from = Math.min(b * width, last);
    buckets.push({
      from,
      to: b === nb - 1 ? null : Math.min((b + 1) * width, last),
      chars: count[b],
      nats: mean(sum[b], count[b]),
      targets: tCount[b],
      targetNats: mean(tSum[b], tCount[b]),
      targetP: mean(tP[b], tCount[b]),
      ...(given !== undefined && { classNats: mean(cSum[b], tCount[b]), givenNats: mean(tSum[b] - cSum[b], tCount[b]) }),
    });
  }
  return { target, ...(given !== undefined && { given }), width, chars: scored, buckets };
}

/**
 * The loss by column of a recorded model's test text (from the store: no
 * model is run). The stored loss at offset o is that of the next character.
 */
export async function measureLossByColumn(modelId: string, opts: ColumnOptions = {}): Promise<LossByColumn & { model: string }> {
  const ctx = await getModelContext(modelId);
  const { chars, context } = await recordingText(ctx.rec.id);
  const { nll, topIds, topProbs } = readChars(openBulk(), ctx.rec.id, ctx.rec.chunkChars, 0, ctx.rec.chars);
  const losses = new Float64Array(chars.length).fill(NaN);
  for (let o = 1; o < chars.length; o++) losses[o] = nll[o - 1];
  let givenP: Float64Array | undefined;
  if (opts.given !== undefined) {
    // p(given) at o = the target's own probability + the other members among the top-5 guesses made at o − 1.
    const vocab = modelVocab(ctx.model);
    const inGiven = vocab.map((c) => opts.given!.includes(c));
    givenP = new Float64Array(chars.length).fill(NaN);
    for (let o = 1; o < chars.length; o++) {
      let p = Math.exp(-losses[o]);
      for (let k = 0; k < TOP_N; k++) {
        const id = topIds[(o - 1) * TOP_N + k];
        if (inGiven[id] && vocab[id] !== chars[o]) p += topProbs[(o - 1) * TOP_N + k] / 255;
      }
      givenP[o] = p;
    }
  }
  return { model: modelId, ...lossByColumn(chars, losses, context, opts, givenP) };
}
