/** `cellscope train`: train a char-level model on a corpus, with a progress bar, checkpoints and --resume. */
import { defined, num, parseFlags } from "./args.ts";
import { ProgressBar, formatCount } from "./progress.ts";
import { train } from "../train/train.ts";
import { listCorpora } from "../corpus/corpus.ts";
import { initBackend } from "../model/backend.ts";
import { CELL_NAMES } from "../model/cells.ts";
import { LOSS_REDUCTIONS } from "../model/network.ts";
import { CLIP_MODES, OPTIMIZERS } from "../model/optimizer.ts";
import { DEFAULT_WEIGHT_INIT } from "../model/params.ts";

export const trainHelp = `cellscope train --corpus NAME|FILE [options]
  --cell ${CELL_NAMES.join("|")} (lstm)  --layers N (2)  --hidden N (256)  --dropout P (0.1)  --epochs N (10)
  --lr X (0.002)  --lr-decay X (0.95)  --decay-after N (10)  --optimizer ${OPTIMIZERS.join("|")} (adam)
  --batch N (50)  --seq N (100)  --clip X (5)  --seed N  --out DIR (models/CORPUS-LxH)
  --checkpoint-minutes M (5)  --valid-minutes M (20)  --max-iterations N  --resume
  --workers N (the cores, at most 8)   split each batch's streams among N threads: the same weights, to float rounding, for any N
  --init MODEL   start from a model's weights (fresh optimizer) when no checkpoint exists
  --no-samples   keep no samples over training (200 characters at iterations 100, 300, 500, 700, 1200, 2000 and each epoch)
  --clip-mode ${CLIP_MODES.join("|")} (norm)   norm: scale all gradients to a global norm of at most --clip; value: clamp each element to ±--clip
  --loss ${LOSS_REDUCTIONS.join("|")} (mean)   the gradients are of the batch's mean loss per character, or of its sum over the batch's characters
  --weight-init uniform:S|normal:S (${DEFAULT_WEIGHT_INIT})   weight matrices ~ Uniform(−S, S) or S·N(0, 1); biases as the cell says
  --forget-bias X (lstm: 1)   the forget gate's initial bias
  --bias-copies 1|2 (1)   2: train the bias as PyTorch and char-rnn do, as two vectors b_ih + b_hh that each take a step
  --reset-every K   zero the carried state every K batches (default: only at each epoch's start)
  --export-init FILE   also write the weights training starts from to FILE as JSON (config, vocab, weights; see scripts/min-char-rnn.py)
  min-char-rnn's recipe: --cell rnn --layers 1 --hidden 100 --seq 25 --batch 1 --dropout 0 --optimizer adagrad --lr 0.1
    --lr-decay 1 --clip 5 --clip-mode value --loss sum --weight-init normal:0.01`;

export async function trainCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    corpus: { type: "string" },
    cell: { type: "string" },
    layers: { type: "string" },
    hidden: { type: "string" },
    dropout: { type: "string" },
    epochs: { type: "string" },
    lr: { type: "string" },
    "lr-decay": { type: "string" },
    "decay-after": { type: "string" },
    optimizer: { type: "string" },
    clip: { type: "string" },
    batch: { type: "string" },
    seq: { type: "string" },
    seed: { type: "string" },
    out: { type: "string" },
    id: { type: "string" },
    "checkpoint-minutes": { type: "string" },
    "valid-minutes": { type: "string" },
    "max-iterations": { type: "string" },
    init: { type: "string" },
    "clip-mode": { type: "string" },
    loss: { type: "string" },
    "weight-init": { type: "string" },
    "export-init": { type: "string" },
    resume: { type: "boolean" },
    "no-samples": { type: "boolean" },
    "forget-bias": { type: "string" },
    "bias-copies": { type: "string" },
    "reset-every": { type: "string" },
    workers: { type: "string" },
  });
  if (!values.corpus) throw new Error(`train needs --corpus (${[...listCorpora(), "a text file"].join(", ")})`);
  await initBackend();
  let bar: ProgressBar | undefined;
  let startIteration = 0;
  const run = train(
    {
      corpus: values.corpus as string,
      ...defined({
        cell: values.cell as string | undefined,
        layers: num(values, "layers"),
        hidden: num(values, "hidden"),
        dropout: num(values, "dropout"),
        epochs: num(values, "epochs"),
        lr: num(values, "lr"),
        lrDecay: num(values, "lr-decay"),
        decayAfter: num(values, "decay-after"),
        optimizer: values.optimizer as (typeof OPTIMIZERS)[number] | undefined,
        clip: num(values, "clip"),
        batch: num(values, "batch"),
        seq: num(values, "seq"),
        seed: num(values, "seed"),
        out: values.out as string | undefined,
        id: values.id as string | undefined,
        checkpointMinutes: num(values, "checkpoint-minutes"),
        validMinutes: num(values, "valid-minutes"),
        maxIterations: num(values, "max-iterations"),
        init: values.init as string | undefined,
        samples: values["no-samples"] ? false : undefined,
        forgetBias: num(values, "forget-bias"),
        biasCopies: num(values, "bias-copies") as 1 | 2 | undefined,
        resetEvery: num(values, "reset-every"),
        workers: num(values, "workers"),
        clipMode: values["clip-mode"] as (typeof CLIP_MODES)[number] | undefined,
        loss: values.loss as (typeof LOSS_REDUCTIONS)[number] | undefined,
        weightInit: values["weight-init"] as string | undefined,
        exportInit: values["export-init"] as string | undefined,
      }),
    },
    {
      resume: Boolean(values.resume),
      onEvent: (e) => {
        if (e.kind === "start") {
          if (e.message) process.stderr.write(`${e.message}\n`);
          // The first start events (from a model, no checkpoint) come before the length is known.
          if (!bar && e.totalIterations > 0) {
            startIteration = e.iteration;
            bar = new ProgressBar(e.totalIterations, "train", "it");
          }
          return;
        }
        const epoch = `${e.epoch + 1}/${run.options.epochs}`;
        if (e.kind === "iteration") {
          bar?.update(
            e.iteration,
            { epoch, loss: e.loss!.toFixed(3), chars: `${formatCount(e.charsPerSec!)}/s` },
            undefined,
            startIteration,
          );
        } else if (e.kind === "valid") {
          bar?.log(`iteration ${e.iteration} (epoch ${(e.iteration / e.batchesPerEpoch).toFixed(2)}): validation ${e.validNats!.toFixed(4)} nats/char (${(e.validNats! / Math.LN2).toFixed(3)} bits)${e.message ? "  " + e.message : ""}`);
        } else if (e.kind === "sample") {
          bar?.log(e.message!);
        } else if (e.kind === "stopped" || e.kind === "done") {
          bar?.finish(e.message);
        }
      },
    },
  );
  let interrupts = 0;
  const onSignal = () => {
    if (++interrupts > 1) process.exit(130);
    bar?.log("stopping after this batch to write a checkpoint (Ctrl-C again to quit at once)");
    run.stop();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const result = await run.done;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  process.stderr.write(
    `${result.stopped ? "stopped" : "finished"} after ${result.iterations} iterations; best validation ${result.bestValidNats?.toFixed(4) ?? "n/a"} nats/char; model in ${run.dir}\n`,
  );
  if (result.stopped) process.exitCode = 130;
}
