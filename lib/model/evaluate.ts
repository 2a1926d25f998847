/** Per-character cross-entropy of a model on a stretch of text (nats and bits per character). */
import type { RecurrentCell } from "./cell.ts";
import type { Params } from "./params.ts";
import { runStreams, type RunOptions } from "./run-streams.ts";

export interface EvalResult {
  chars: number;
  nats: number;
  bitsPerChar: number;
}

/** Scores the predictions of ids[p + 1] from positions p in [start, end − 1). */
export async function evaluate(
  cell: RecurrentCell<unknown>,
  params: Params,
  ids: Int32Array,
  start: number,
  end: number,
  opts: RunOptions & { onProgress?: (chars: number) => void } = {},
): Promise<EvalResult> {
  let sum = 0;
  let chars = 0;
  await runStreams(cell, params, ids, start, end - 1, opts, (c) => {
    for (const v of c.nll) {
      sum += v;
      chars++;
    }
    opts.onProgress?.(c.length);
  });
  const nats = chars ? sum / chars : NaN;
  return { chars, nats, bitsPerChar: nats / Math.LN2 };
}
