/**
 * Sampling text from a model while watching one unit: like lib/model/sample.ts
 * (softmax(logits / T), seeded, the prime read first), but each step also
 * reads the chosen unit's value after the model reads that character, so the
 * generated text can be colored by it.
 *
 * Model weights are loaded once per model folder and kept (they are small).
 */
import * as tf from "@tensorflow/tfjs";
import { z, ZodError } from "zod";
import { InputError, NotFoundError, zodMessage } from "../api/errors.ts";
import { MAX_CLAMPS, MAX_PRIME_CHARS, MAX_SAMPLE_CHARS } from "../api/limits.ts";
import { layerHolds, parseHeldUnit, type HeldUnit } from "../model/hold.ts";
import { encode } from "../corpus/vocab.ts";
import { initBackend } from "../model/backend.ts";
import { cellByName } from "../model/cells.ts";
import { zeroState, type CellState } from "../model/cell.ts";
import type { LoadedModel } from "../model/model-file.ts";
import { forward } from "../model/network.ts";
import { Random } from "../model/random.ts";
import { getCharModel, getModelContext, type ModelContext } from "../cells/model-context.ts";
import { resolveUnit } from "../cells/get-cell.ts";
import { round3 } from "../cells/snippets.ts";

export const MAX_SAMPLE = MAX_SAMPLE_CHARS;

export const SampleOptions = z.object({
  unit: z.string().min(1, "give the unit to color by (unit=h:1:5)"),
  length: z.coerce.number({ message: "length must be a number" }).int("length must be a whole number").min(1, "length must be at least 1").max(MAX_SAMPLE, `length must be at most ${MAX_SAMPLE}`).default(400),
  temperature: z.coerce.number({ message: "temperature must be a number" }).gt(0, "temperature must be above 0").max(5, "temperature must be at most 5").default(0.8),
  prime: z.string().max(MAX_PRIME_CHARS, `the prime text must be at most ${MAX_PRIME_CHARS} characters`).default(""),
  seed: z.coerce.number({ message: "seed must be a number" }).int("seed must be a whole number").min(0, "seed cannot be negative").max(2 ** 31, "seed is too large").default(1),
  /** Units held at values while sampling, comma-separated: "c:1:40=-1,h:0:3=0.5" (lib/model/hold.ts). */
  clamp: z.string().max(200, "clamp is too long").default(""),
});
export type SampleOptions = z.infer<typeof SampleOptions>;

export interface SampledChar {
  /** The character. */
  c: string;
  /** The unit's value after reading it. */
  v: number;
  /** Part of the prime text (read, not generated). */
  p?: 1;
}

/** The prime as the model's vocabulary ids ("\n" stands in for an empty prime); a character outside it is "bad_prime". */
function encodePrime(prime: string, vocab: LoadedModel["meta"]["vocab"]): Int32Array {
  try {
    return encode(prime || "\n", vocab);
  } catch (e) {
    throw new InputError(`prime: ${(e as Error).message}`, "bad_prime");
  }
}

/**
 * Checks every parameter of a sample request (the page's and the API's) and
 * reports them all at once: one bad parameter is thrown as it is (its own code,
 * 404 for a unit the model lacks); several become one 400 ("bad_request")
 * whose message lists each, so a user fixes them in one go. Empty parameters
 * take their defaults. An unknown model is thrown first: nothing else can be
 * checked without it.
 */
export async function checkSampleRequest(modelId: string, raw: Record<string, string | undefined>): Promise<SampleOptions> {
  const ctx = await getModelContext(modelId);
  const given = Object.fromEntries(Object.entries(raw).filter(([k, v]) => v !== undefined && (v !== "" || k === "unit" || k === "prime")));
  const problems: Error[] = [];
  const parsed = SampleOptions.safeParse(given);
  // One message per issue, each worded as zodMessage words a single one.
  if (!parsed.success) for (const issue of parsed.error.issues) problems.push(new InputError(zodMessage(new ZodError([issue]))));
  const unit = typeof given.unit === "string" ? given.unit : "";
  const prime = typeof given.prime === "string" ? given.prime : "";
  const check = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (e instanceof InputError || e instanceof NotFoundError) problems.push(e);
      else throw e;
    }
  };
  if (unit) check(() => resolveUnit(ctx, unit));
  if (typeof given.clamp === "string" && given.clamp) check(() => parseClamps(ctx, given.clamp as string));
  if (prime.length <= MAX_PRIME_CHARS) {
    await initBackend();
    check(() => encodePrime(prime, getCharModel(ctx).meta.vocab));
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new InputError(`${problems.length} problems: ${problems.map((e) => e.message).join("; ")}`, "bad_request");
  return parsed.data!;
}

/** The units of `clamp` ("c:1:40=-1,h:0:3=0.5"), each one the model has and its cell can hold. */
export function parseClamps(ctx: ModelContext, clamp: string): HeldUnit[] {
  if (!clamp) return [];
  const specs = clamp.split(",").filter(Boolean);
  if (specs.length > MAX_CLAMPS) throw new InputError(`clamp: at most ${MAX_CLAMPS} units (got ${specs.length})`, "bad_clamp");
  const cell = cellByName(ctx.model.cell);
  return specs.map((spec) => {
    let u: HeldUnit;
    try {
      u = parseHeldUnit(spec);
    } catch (e) {
      throw new InputError(`clamp: ${(e as Error).message}`, "bad_clamp");
    }
    resolveUnit(ctx, `${u.kind}:${u.layer}:${u.index}`);
    if (!cell.holds[u.kind]) throw new InputError(`clamp: a ${cell.name} cannot hold ${u.kind} units (it holds ${Object.keys(cell.holds).join(" and ")})`, "bad_clamp");
    return u;
  });
}

/**
 * Yields the prime's characters, then `length` generated ones, each with the
 * unit's value. Validates the model, unit and prime before the first yield.
 */
export async function sampleCell(modelId: string, opts: SampleOptions): Promise<AsyncGenerator<SampledChar>> {
  const ctx = await getModelContext(modelId);
  const u = resolveUnit(ctx, opts.unit);
  await initBackend();
  const { meta, params } = getCharModel(ctx);
  const vocab = meta.vocab;
  const primeIds = encodePrime(opts.prime, vocab);
  const cell = cellByName(meta.config.cell);
  const H = meta.config.hidden;
  const series = u.kind === "h" ? [] : [u.kind];
  const held = parseClamps(ctx, opts.clamp);
  const holds = held.length ? layerHolds(cell, meta.config.layers, H, held) : undefined;
  return (async function* () {
    const rng = new Random(opts.seed);
    let state: CellState[] = params.layers.map(() => zeroState(cell, 1, H));
    let probs: Float32Array = new Float32Array(0);
    /** Runs ids through the model; returns the unit's value at each step. */
    const step = (ids: Int32Array): Float32Array => {
      const out = tf.tidy(() => {
        const r = forward(cell, params, ids, ids.length, state, series, holds);
        const lay = r.layers[u.layer];
        const m = u.kind === "h" ? lay.h : lay.series![u.kind];
        const values = tf.slice(m, [0, u.index], [ids.length, 1]);
        const last = tf.slice(r.logp, [ids.length - 1, 0], [1, -1]);
        return { p: tf.softmax(tf.div(last, opts.temperature)), values, state: r.state };
      });
      tf.dispose(state.flatMap((s) => Object.values(s)));
      state = out.state;
      probs = out.p.dataSync() as Float32Array;
      const v = out.values.dataSync() as Float32Array;
      tf.dispose([out.p, out.values]);
      return v;
    };
    try {
      const pv = step(primeIds);
      if (opts.prime) {
        const chars = Array.from(opts.prime);
        for (let i = 0; i < chars.length; i++) yield { c: chars[i], v: round3(pv[i]), p: 1 };
      }
      for (let i = 0; i < opts.length; i++) {
        const next = rng.choice(probs);
        const v = step(Int32Array.of(next));
        yield { c: vocab[next], v: round3(v[0]) };
      }
    } finally {
      tf.dispose(state.flatMap((s) => Object.values(s)));
    }
  })();
}
