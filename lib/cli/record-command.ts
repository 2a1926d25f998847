/** `cellscope record`: record a model's activations over a slice of its corpus into the store. */
import { num, parseFlags, UsageError } from "./args.ts";
import { ProgressBar } from "./progress.ts";
import { initBackend } from "../model/backend.ts";
import { recordModel } from "../record/record.ts";
import { defaultWorkers } from "../model/workers.ts";
import { createPrisma } from "../db.ts";
import { setupStore } from "../store/setup-store.ts";
import type { Split } from "../corpus/corpus.ts";
import { existsSync } from "node:fs";
import path from "node:path";
import { resolveModelDir } from "../model/model-file.ts";
import type { RecordResult } from "../record/record.ts";

export const recordHelp = `cellscope record --model ID [--split test] [--start S --chars N] [--gates] [--force]
  [--workers N (the cores, at most 8)] [--streams N (50)] [--warmup N (500)] [--chunk-chars N (32768): characters per stored chunk, and how often progress is committed]
  a captioner (captioner.json): its decoder over the canonical caption of each test scene [--scenes N (1000)] [--force]`;

export async function recordCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    model: { type: "string" },
    split: { type: "string" },
    start: { type: "string" },
    chars: { type: "string" },
    gates: { type: "boolean" },
    force: { type: "boolean" },
    streams: { type: "string" },
    workers: { type: "string" },
    warmup: { type: "string" },
    "chunk-chars": { type: "string" },
    scenes: { type: "string" },
  });
  if (!values.model) throw new UsageError("record needs --model");
  const split = (values.split ?? "test") as Split;
  if (!["train", "valid", "test"].includes(split)) throw new UsageError(`--split must be train, valid or test, got "${split}"`);
  if (!process.env.CELLSCOPE_STORE_READY) await setupStore();
  await initBackend();
  const prisma = createPrisma();
  let bar: ProgressBar | undefined;
  let phase = "";
  const onProgress = (done: number, total: number, p: "record" | "stats") => {
    // Run by `setup` as a child process: report progress to the parent instead of drawing a bar.
    if (process.send) {
      process.send({ done, total, phase: p });
      return;
    }
    if (p !== phase) {
      bar?.finish();
      phase = p;
      bar = new ProgressBar(total, p === "record" ? "record" : "stats ", p === "record" ? "chars" : "units");
    }
    bar!.update(done);
  };
  const dir = resolveModelDir(values.model as string);
  const isCaptioner = existsSync(path.join(dir, "captioner.json"));
  if (!isCaptioner && values.scenes !== undefined) throw new UsageError("--scenes is for a captioner; a char model records --chars of its corpus");
  try {
    let r: RecordResult;
    if (isCaptioner) {
      const { recordCaptioner } = await import("../record/record-captions.ts");
      r = await recordCaptioner(prisma, { dir, scenes: num(values, "scenes"), force: Boolean(values.force), onProgress });
    } else r = await recordModel(prisma, {
      model: values.model as string,
      split,
      start: num(values, "start"),
      chars: num(values, "chars"),
      gates: Boolean(values.gates),
      force: Boolean(values.force),
      streams: num(values, "streams"),
      workers: num(values, "workers") ?? defaultWorkers(),
      warmup: num(values, "warmup"),
      chunkChars: num(values, "chunk-chars"),
      onProgress,
    });
    bar?.finish();
    const what = r.outcome === "exists" ? "already recorded (use --force to redo)" : r.outcome === "resumed" ? "finished an interrupted recording" : "recorded";
    process.stderr.write(
      `${values.model}: ${what}: ${r.chars} characters from offset ${r.start}, recording #${r.recordingId}` +
        (r.nats !== null ? `, ${r.nats.toFixed(4)} nats/${isCaptioner ? "word" : "char"}` : "") +
        (r.seconds ? ` in ${r.seconds.toFixed(1)} s` : "") +
        "\n",
    );
    for (const x of r.rerun) {
      process.stderr.write(
        `${values.model}: stuck stream at offsets ${x.start}–${x.start + x.chars} (${x.natsBefore.toFixed(2)} nats/char, the window's median ${x.medianNats.toFixed(2)}) ` +
          (x.natsAfter < x.natsBefore ? `ran again with a ${x.warmup}-character warm-up: ${x.natsAfter.toFixed(2)} nats/char kept` : "ran again with other warm-ups, none better: kept as it was") +
          "\n",
      );
    }
  } finally {
    await prisma.$disconnect();
  }
}
