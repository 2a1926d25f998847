/**
 * Stuck streams. A recording runs its slice as many streams side by side,
 * each warmed up on the characters just before its stretch. Rarely, a cold
 * start there leaves the LSTM in a state it does not leave for thousands of
 * characters: linux-2x256 at epoch 1, started 500 characters before test
 * offset 188,748 (inside #define macros full of tabs), paid 7.4 nats/char on
 * the next 5,243 characters, where `eval` over the same text pays 2.1 and
 * warm-ups of 0, 200 or 1,000 characters give 2.0. Such a stretch's
 * activations are real but show a state the model is almost never in, so
 * the recorder finds them (this file) and runs them again with other
 * warm-ups, keeping whichever run predicts the text best (record.ts).
 */

export interface StuckStream {
  /** Positions [start, end) within the window. */
  start: number;
  end: number;
  /** Mean loss over the stretch, and the median of every stream's mean (nats/char). */
  nats: number;
  median: number;
}

/** Mean of the finite values of `nll` in [a, b), or NaN if none. */
export function meanNats(nll: ArrayLike<number>, a = 0, b = nll.length): number {
  let sum = 0, n = 0;
  for (let i = a; i < b; i++) if (Number.isFinite(nll[i])) (sum += nll[i]), n++;
  return n ? sum / n : NaN;
}

/**
 * The streams of a window (per-character losses `nll`, streams of `len`
 * positions) whose mean loss is more than twice the median stream's and over
 * 1 nat/char above it. Hard text raises a stream's loss too, but not like
 * this: in the shipped models' test recordings no stream's mean is over
 * 1.32× its window's median (0.38 nats above it); the stuck one was 3.7×.
 */
export function findStuckStreams(nll: ArrayLike<number>, len: number): StuckStream[] {
  const streams = [];
  for (let a = 0; a < nll.length; a += len) streams.push({ start: a, end: Math.min(nll.length, a + len), nats: meanNats(nll, a, Math.min(nll.length, a + len)) });
  const means = streams.map((s) => s.nats).filter(Number.isFinite).sort((x, y) => x - y);
  if (means.length < 3) return []; // no "usual" to compare with
  const median = means[Math.floor(means.length / 2)];
  return streams.filter((s) => s.nats > 2 * median && s.nats - median > 1).map((s) => ({ ...s, median }));
}
