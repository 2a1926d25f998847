/**
 * Your own text, live (P9): `runText` (lib/cells/run-text.ts, what POST
 * /api/models/M/run does) over 2,000 characters of the recorded text, colored
 * by one unit, and again with the inspector at one character (every unit),
 * against the bare forward pass over the same characters in the same process
 * (the floor: one stream of 2,000 sequential steps, nothing else), and that
 * pass with the LSTM step as plain tfjs ops instead of the fused kernel.
 *
 * Goal (P9): "does my quote cell fire on this sentence?" in under a second for
 * 2,000 characters.
 */
import os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { runText } from "../lib/cells/run-text.ts";
import { encode } from "../lib/corpus/vocab.ts";
import { createPrisma } from "../lib/db.ts";
import { initBackend } from "../lib/model/backend.ts";
import { NO_HOLD, zeroState } from "../lib/model/cell.ts";
import { cellByName } from "../lib/model/cells.ts";
import { getLoadedModel } from "../lib/model/model-file.ts";
import { forward } from "../lib/model/network.ts";
import { getModelContext, recordingText } from "../lib/cells/model-context.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchLive(o: { model?: string; unit?: string; rounds?: number; chars?: number } = {}) {
  const loadBefore = os.loadavg()[0];
  const prisma = createPrisma();
  await initBackend();
  const model = o.model ?? "warpeace-2x256";
  const unit = o.unit ?? "c:1:40";
  const rounds = o.rounds ?? 5;
  const n = o.chars ?? 2000;
  const ctx = await getModelContext(model);
  const text = (await recordingText(ctx.rec.id)).chars.slice(1000, 1000 + n).join("");
  await runText(model, { text: text.slice(0, 100), unit, prime: "" }); // loads the weights
  const time = async (f: () => unknown) => {
    const ms: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      await f();
      ms.push(performance.now() - t0);
    }
    return ms;
  };
  const colored = await time(() => runText(model, { text, unit, prime: "" }));
  const inspected = await time(() => runText(model, { text, unit, prime: "", at: Math.floor(n / 2) }));
  const m = getLoadedModel(ctx.model.path);
  const cell = cellByName(m.meta.config.cell);
  const ids = encode(text, m.meta.vocab);
  const bare = await time(() =>
    tf.tidy(() => {
      const r = forward(cell, m.params, ids, ids.length, m.params.layers.map(() => zeroState(cell, 1, m.meta.config.hidden)));
      r.logp.dataSync();
    }),
  );
  // The same forward with the LSTM's step as plain tfjs ops (a no-op hold turns the fused kernel off: lstm.ts).
  const plain = await time(() =>
    tf.tidy(() => {
      const r = forward(cell, m.params, ids, ids.length, m.params.layers.map(() => zeroState(cell, 1, m.meta.config.hidden)), [], m.params.layers.map(() => NO_HOLD));
      r.logp.dataSync();
    }),
  );
  await prisma.$disconnect();
  return {
    bench: "live",
    machine: { cpus: os.cpus().length, loadAverage1mBefore: +loadBefore.toFixed(2), loadAverage1mAfter: +os.loadavg()[0].toFixed(2) },
    model,
    unit,
    chars: n,
    coloredMs: colored.map(Math.round),
    coloredMedianMs: Math.round(median(colored)),
    inspectMedianMs: Math.round(median(inspected)),
    bareForwardMedianMs: Math.round(median(bare)),
    plainOpsForwardMedianMs: Math.round(median(plain)),
    overhead: +(median(colored) / median(bare)).toFixed(2),
    goalMs: 1000,
  };
}
