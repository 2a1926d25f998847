/** `cellscope train-captioner` and `cellscope caption`: the lecture's image captioning on scenes made by code (lib/captioning). */
import { defined, num, parseFlags, UsageError } from "./args.ts";
import { ProgressBar, formatCount } from "./progress.ts";
import { initBackend } from "../model/backend.ts";
import { CELL_NAMES } from "../model/cells.ts";

export const trainCaptionerHelp = `cellscope train-captioner --out DIR [options]   a CNN feeds a recurrent decoder; scenes and captions are made by code
  --cell ${CELL_NAMES.join("|")} (lstm)  --layers N (1)  --hidden N (256)  --features N (256: image features into the decoder)
  --channels C1,C2,C3 (16,32,32: the CNN's three convolutions)
  --targets canonical|all (canonical: each scene taught with one caption, objects left to right; all: one of its true captions at random)
  --scenes N (40000 training scenes)  --valid-scenes N (500)  --test-scenes N (1000)  --batch N (50)  --epochs N (6)
  --lr X (0.002, RMSProp)  --lr-decay X (0.8)  --decay-after N (3)  --clip X (5)  --seed N (1)  --id ID  --checkpoint-minutes M (5)  --resume`;

/** "32,64,64" → [32, 64, 64]; the schema checks the numbers' range. */
function channelsFlag(text: string | undefined): [number, number, number] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(",").map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isInteger(n))) throw new UsageError(`--channels wants three whole numbers like 16,32,32, not "${text}"`);
  return parts as [number, number, number];
}

export async function trainCaptionerCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    out: { type: "string" },
    id: { type: "string" },
    cell: { type: "string" },
    layers: { type: "string" },
    hidden: { type: "string" },
    features: { type: "string" },
    channels: { type: "string" },
    targets: { type: "string" },
    scenes: { type: "string" },
    "valid-scenes": { type: "string" },
    "test-scenes": { type: "string" },
    batch: { type: "string" },
    epochs: { type: "string" },
    lr: { type: "string" },
    "lr-decay": { type: "string" },
    "decay-after": { type: "string" },
    clip: { type: "string" },
    seed: { type: "string" },
    "checkpoint-minutes": { type: "string" },
    resume: { type: "boolean" },
  });
  if (!values.out) throw new UsageError("train-captioner needs --out DIR");
  await initBackend();
  const { trainCaptioner } = await import("../captioning/train-captioner.ts");
  let bar: ProgressBar | undefined;
  let start = 0;
  let stop = false;
  const onSignal = () => {
    if (stop) process.exit(130);
    stop = true;
    bar?.log("stopping after this batch to write a checkpoint (Ctrl-C again to quit at once)");
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const result = await trainCaptioner(
    {
      out: values.out,
      ...defined({
        id: values.id as string | undefined,
        cell: values.cell as string | undefined,
        layers: num(values, "layers"),
        hidden: num(values, "hidden"),
        features: num(values, "features"),
        channels: channelsFlag(values.channels as string | undefined),
        targets: values.targets as string | undefined,
        scenes: num(values, "scenes"),
        validScenes: num(values, "valid-scenes"),
        testScenes: num(values, "test-scenes"),
        batch: num(values, "batch"),
        epochs: num(values, "epochs"),
        lr: num(values, "lr"),
        lrDecay: num(values, "lr-decay"),
        decayAfter: num(values, "decay-after"),
        clip: num(values, "clip"),
        seed: num(values, "seed"),
        checkpointMinutes: num(values, "checkpoint-minutes"),
      }),
    },
    {
      resume: Boolean(values.resume),
      stopped: () => stop,
      onEvent: (e) => {
        if (e.kind === "start") {
          if (e.message) process.stderr.write(`${e.message}\n`);
          start = e.iteration;
          bar = new ProgressBar(e.totalIterations, "caption", "it");
        } else if (e.kind === "iteration") {
          bar?.update(e.iteration, { epoch: e.epoch.toFixed(2), loss: e.loss!.toFixed(3), scenes: `${formatCount(e.scenesPerSec!)}/s` }, undefined, start);
        } else if (e.kind === "valid") {
          const v = e.valid!;
          bar?.log(`epoch ${e.epoch}: validation ${(v.trueRate * 100).toFixed(1)}% true captions, BLEU-4 ${v.bleu4.toFixed(3)} (${v.scenes} scenes)`);
        } else if (e.kind === "checkpoint" && e.message) {
          bar?.finish(e.message);
        } else if (e.kind === "done") {
          bar?.finish(e.message);
        }
      },
    },
  );
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  if (result) process.stderr.write(`captioner ${result.id} in ${values.out}\n`);
}

export const captionHelp = `cellscope caption --model DIR [--split test|valid|train (test)] [--scenes N (10)] [--from K (0)] [--temperature T (0: greedy) | --beam K (1: greedy)] [--json] [--save-test]
    caption scenes made by code with a trained captioner; says which captions are true and scores them (true rate, BLEU-4)
    --beam K      beam search: keep the K likeliest captions at every word, answer the best per word
    --save-test   store the scores in captioner.json as its test scores (the test split from scene 0: greedy as "test", --beam K as "testBeam"), which the shipped-captioner test repeats`;

export async function captionCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    model: { type: "string" },
    split: { type: "string" },
    scenes: { type: "string" },
    from: { type: "string" },
    temperature: { type: "string" },
    beam: { type: "string" },
    json: { type: "boolean" },
    "save-test": { type: "boolean" },
  });
  if (!values.model) throw new UsageError("caption needs --model DIR (a folder train-captioner wrote)");
  const split = (values.split as string | undefined) ?? "test";
  const { SPLITS, makeScene, captionsOf, isTrue, renderScene } = await import("../captioning/scenes.ts");
  if (!(SPLITS as readonly string[]).includes(split)) throw new UsageError(`--split must be one of ${SPLITS.join(", ")}, not "${split}"`);
  const count = num(values, "scenes") ?? 10, from = num(values, "from") ?? 0, temperature = num(values, "temperature") ?? 0;
  if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new UsageError("--scenes must be a whole number from 1 to 100000");
  if (!Number.isInteger(from) || from < 0) throw new UsageError("--from must be a whole number ≥ 0");
  if (!(temperature >= 0 && temperature <= 10)) throw new UsageError("--temperature must be from 0 (greedy) to 10");
  const beam = num(values, "beam") ?? 1;
  if (!Number.isInteger(beam) || beam < 1 || beam > 20) throw new UsageError("--beam must be a whole number from 1 (greedy) to 20");
  if (beam > 1 && temperature > 0) throw new UsageError("--beam searches for the likeliest caption; --temperature samples one: use one of them");
  await initBackend();
  const { loadCaptioner } = await import("../captioning/captioner-file.ts");
  const { beamCaption, caption } = await import("../captioning/captioner.ts");
  const { imagesTensor } = await import("../captioning/encoder.ts");
  const { corpusBleu } = await import("../captioning/bleu.ts");
  const { detokenize, tokenize } = await import("../captioning/words.ts");
  const { Random } = await import("../model/random.ts");
  const { meta, model } = loadCaptioner(values.model as string);
  const seed = Number((meta.training.options as { seed?: number }).seed ?? 1);
  const scenes = Array.from({ length: count }, (_, k) => makeScene(split as (typeof SPLITS)[number], from + k, seed));
  const rng = new Random(7);
  const rows: { scene: string; caption: string; true: boolean; references: string[] }[] = [];
  for (let i = 0; i < scenes.length; i += 100) {
    const part = scenes.slice(i, i + 100);
    const images = imagesTensor(part.map(renderScene));
    (beam > 1 ? beamCaption(model, images, { beam }) : caption(model, images, { temperature, rng })).forEach((c, k) => {
      const text = detokenize(c.words);
      rows.push({ scene: part[k].id, caption: text, true: isTrue(text, part[k]), references: captionsOf(part[k]) });
    });
    images.dispose();
  }
  const trueRate = rows.filter((r) => r.true).length / rows.length;
  const bleu4 = corpusBleu(rows.map((r) => tokenize(r.caption)), rows.map((r) => r.references.map(tokenize)));
  if (values["save-test"]) {
    if (split !== "test" || from !== 0 || temperature !== 0) throw new UsageError("--save-test scores greedy or beam captions of the test split from scene 0: drop --split, --from and --temperature");
    const { saveCaptioner } = await import("../captioning/captioner-file.ts");
    const { weightsManifest: _w, words: _x, format: _f, version: _v, ...rest } = meta;
    const scores = { split, scenes: count, trueRate, bleu4 };
    saveCaptioner(values.model as string, beam > 1 ? { ...rest, testBeam: { ...scores, beam } } : { ...rest, test: scores }, model);
    process.stderr.write(`saved the test scores in ${values.model}/captioner.json\n`);
  }
  if (values.json) {
    process.stdout.write(JSON.stringify({ model: meta.id, split, scenes: count, temperature, beam, trueRate, bleu4, captions: rows.map(({ references: _r, ...r }) => r) }) + "\n");
    return;
  }
  for (const r of rows) process.stdout.write(`${r.scene.padEnd(10)} ${r.true ? "✓" : "✗"} ${r.caption}${r.true ? "" : `   (e.g. "${r.references[0]}")`}\n`);
  process.stdout.write(`${meta.id}: ${(trueRate * 100).toFixed(1)}% true captions, BLEU-4 ${bleu4.toFixed(3)} over ${count} ${split} scenes${beam > 1 ? ` (beam ${beam})` : ""}\n`);
}
