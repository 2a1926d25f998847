/** `cellscope sample` and `cellscope eval`: use a trained model. */
import { z } from "zod";
import { defined, num, parseFlags, UsageError } from "./args.ts";
import { initBackend } from "../model/backend.ts";
import { loadModel, updateModelJson } from "../model/model-file.ts";
import { cellByName } from "../model/cells.ts";
import { sample } from "../model/sample.ts";
import { checkHolds, parseHeldUnit, type HeldUnit } from "../model/hold.ts";
import { MAX_CLAMPS } from "../api/limits.ts";
import { evaluate } from "../model/evaluate.ts";
import { streamLayout } from "../model/run-streams.ts";
import { loadCorpusFor, splitRange, type Split } from "../corpus/corpus.ts";
import { encode } from "../corpus/vocab.ts";
import { ProgressBar } from "./progress.ts";

export const sampleHelp = `cellscope sample --model ID [--temperature T (1)] [--prime TEXT] [--length N (500)] [--seed S] [--clamp UNIT=VALUE …]
    --clamp c:1:40=1 holds a unit at a value at every step (up to 4; an LSTM's tanh(c) units through their memory)`;
export const evalHelp = `cellscope eval --model ID [--split train|valid|test (test)] [--start S --chars N] [--streams K (50)] [--warmup N (500)] [--json] [--save-check]
    the stretch is cut into K contiguous streams run side by side, each first reading the N characters before it;
    --streams 1 carries one state through the whole stretch (slower)
    --save-check stores the result in model.json, where the shipped-model test checks it`;

export async function sampleCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    model: { type: "string" },
    temperature: { type: "string" },
    prime: { type: "string" },
    length: { type: "string" },
    seed: { type: "string" },
    clamp: { type: "string", multiple: true },
  });
  if (!values.model) throw new UsageError("sample needs --model");
  const specs = (values.clamp ?? []) as string[];
  if (specs.length > MAX_CLAMPS) throw new UsageError(`--clamp: at most ${MAX_CLAMPS} units`);
  let clamp: HeldUnit[];
  try {
    clamp = specs.map(parseHeldUnit);
  } catch (e) {
    throw new UsageError(`--clamp: ${(e as Error).message}`);
  }
  const opts = z
    .object({
      temperature: z.number().positive("--temperature must be positive").max(100).default(1),
      length: z.number().int().min(1).max(1_000_000, "--length is at most 1000000").default(500),
      seed: z.number().int().default(() => Math.floor(Math.random() * 2 ** 31)),
    })
    .parse(defined({ temperature: num(values, "temperature"), length: num(values, "length"), seed: num(values, "seed") }));
  await initBackend();
  const model = loadModel(values.model as string);
  const prime = (values.prime as string | undefined) ?? "";
  try {
    encode(prime, model.meta.vocab);
  } catch (e) {
    throw new UsageError(`--prime: ${(e as Error).message}`);
  }
  process.stdout.write(prime);
  const cell = cellByName(model.meta.config.cell);
  try {
    checkHolds(cell, model.meta.config.layers, model.meta.config.hidden, clamp);
  } catch (e) {
    throw new UsageError(`--clamp: ${(e as Error).message}`);
  }
  let n = 0;
  for (const ch of sample(cell, model.params, model.meta.vocab, { ...opts, prime, clamp })) {
    process.stdout.write(ch);
    // Now and then let the event loop run, so that a reader closing the pipe (| head) stops us (main.ts).
    if (++n % 500 === 0) await new Promise((r) => setImmediate(r));
  }
  process.stdout.write("\n");
}

export async function evalCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    model: { type: "string" },
    split: { type: "string" },
    start: { type: "string" },
    chars: { type: "string" },
    streams: { type: "string" },
    warmup: { type: "string" },
    json: { type: "boolean" },
    "save-check": { type: "boolean" },
  });
  if (!values.model) throw new UsageError("eval needs --model");
  const run = z
    .object({
      streams: z.number().int("must be a whole number").min(1, "must be at least 1").max(1000).optional(),
      warmup: z.number().int("must be a whole number").min(0, "cannot be negative").max(100_000).optional(),
    })
    .parse(defined({ streams: num(values, "streams"), warmup: num(values, "warmup") }));
  const split = (values.split ?? "test") as Split;
  if (!["train", "valid", "test"].includes(split)) throw new UsageError(`--split must be train, valid or test, got "${split}"`);
  await initBackend();
  const model = loadModel(values.model as string);
  const corpus = loadCorpusFor(model.meta);
  const range = splitRange(corpus.ids.length, split);
  const start = range.start + (num(values, "start") ?? 0);
  const chars = num(values, "chars");
  const end = chars === undefined ? range.end : Math.min(range.end, start + chars + 1);
  if (start < range.start || start >= range.end - 1) throw new UsageError(`--start is outside the ${split} split (0 to ${range.end - range.start - 2})`);
  const bar = values.json ? undefined : new ProgressBar(end - start - 1, "eval", "chars");
  let done = 0;
  const r = await evaluate(cellByName(model.meta.config.cell), model.params, corpus.ids, start, end, {
    ...run,
    onProgress: (n) => bar?.update((done += n)),
  });
  bar?.finish();
  const out = { model: model.meta.id, split, chars: r.chars, nats: r.nats, bitsPerChar: r.bitsPerChar, streams: streamLayout(end - start - 1, run).streams, warmup: run.warmup ?? 500 };
  if (values["save-check"]) {
    const check = { split, start: start - range.start, chars: r.chars, nats: r.nats };
    const checks = model.meta.checks.filter((c) => !(c.split === check.split && c.start === check.start && c.chars === check.chars));
    updateModelJson(model.dir, { checks: [...checks, check] });
  }
  if (values.json) process.stdout.write(JSON.stringify(out) + "\n");
  else process.stdout.write(`${out.model} on ${split} (${out.chars} chars): ${out.nats.toFixed(4)} nats/char, ${out.bitsPerChar.toFixed(4)} bits/char\n`);
}
