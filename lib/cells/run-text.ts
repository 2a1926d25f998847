/**
 * Any text, live: runs a model over a user's text (after an optional prime,
 * from a zero state) and returns one unit's value at every character, the
 * loss the model paid on each next character, and, at one character, what
 * the inspector shows for a recording (every unit, the top-5 guesses).
 * Nothing is written to the store.
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { InputError } from "../api/errors.ts";
import { MAX_PRIME_CHARS, MAX_RUN_CHARS } from "../api/limits.ts";
import { encodeChars } from "../corpus/vocab.ts";
import { initBackend } from "../model/backend.ts";
import { zeroState } from "../model/cell.ts";
import { cellByName } from "../model/cells.ts";
import { forward } from "../model/network.ts";
import { UNIT_KINDS, type UnitKind } from "../model/unit-kinds.ts";
import { getModelContext, getCharModel } from "./model-context.ts";
import type { InspectedChar, UnitValue } from "../inspect/inspect-char.ts";
import { resolveUnit } from "./get-cell.ts";
import { round3 } from "./snippets.ts";

export const RunTextRequest = z.object({
  text: z.string().min(1, "give some text to run").refine((t) => Array.from(t).length <= MAX_RUN_CHARS, `text must be at most ${MAX_RUN_CHARS.toLocaleString("en")} characters`),
  unit: z.string().min(1, "give the unit to color by (unit: h:1:5)"),
  prime: z.string().max(MAX_PRIME_CHARS, `the prime text must be at most ${MAX_PRIME_CHARS} characters`).default(""),
  /** The character to inspect (an offset into text). */
  at: z.number().int("at must be a whole number").min(0, "at cannot be negative").optional(),
});
export type RunTextRequest = z.infer<typeof RunTextRequest>;

export interface RunTextResult {
  model: string;
  unit: string;
  /** The text's characters (code points). */
  chars: string[];
  /** The unit's value after reading each character. */
  values: number[];
  /** The loss on the next character after reading each one (nats); null for the last. */
  nats: (number | null)[];
  /** Their mean over the text (nats/char), null for a one-character text. */
  meanNats: number | null;
  /** With `at`: the inspector's contents at that character. */
  inspect?: InspectedChar;
}

const byUnitName = new Intl.Collator("en", { numeric: true }).compare;

/** The characters, checked against the model's vocabulary ("bad_text"/"bad_prime" name the first one it lacks). */
function encodeFor(chars: string[], vocab: readonly string[], what: "text" | "prime"): Int32Array {
  try {
    return encodeChars(chars, vocab);
  } catch (e) {
    throw new InputError(`${what}: ${(e as Error).message}`, what === "text" ? "bad_text" : "bad_prime");
  }
}

export async function runText(modelId: string, req: RunTextRequest): Promise<RunTextResult> {
  const ctx = await getModelContext(modelId);
  const u = resolveUnit(ctx, req.unit);
  await initBackend();
  const { meta, params } = getCharModel(ctx);
  const chars = Array.from(req.text);
  if (req.at !== undefined && req.at >= chars.length) throw new InputError(`at ${req.at} is past the end of the text (${chars.length} characters)`, "bad_offset");
  const ids = encodeFor(chars, meta.vocab, "text");
  const primeIds = encodeFor(Array.from(req.prime), meta.vocab, "prime");
  const cell = cellByName(meta.config.cell);
  const H = meta.config.hidden;
  // Every recorded kind at `at` for the inspector; else just the unit's.
  const kinds = (req.at !== undefined ? ctx.kinds : [u.kind]).filter((k) => k !== "h");
  const P = primeIds.length;
  const all = new Int32Array(P + ids.length);
  all.set(primeIds);
  all.set(ids, P);
  const T = all.length;
  const out = tf.tidy(() => {
    const states = params.layers.map(() => zeroState(cell, 1, H));
    const r = forward(cell, params, all, T, states, kinds);
    const series = (layer: number, kind: string) => (kind === "h" ? r.layers[layer].h : r.layers[layer].series![kind]);
    const values = tf.slice(series(u.layer, u.kind), [P, u.index], [ids.length, 1]);
    const logp = tf.slice(r.logp, [P, 0], [ids.length, -1]);
    const rows = req.at === undefined ? [] : ctx.kinds.flatMap((k) => r.layers.map((_, l) => ({ k, l, row: tf.slice(series(l, k), [P + req.at!, 0], [1, -1]) })));
    return { values, logp, rows, state: r.state };
  });
  try {
    const values = Array.from(out.values.dataSync(), round3);
    const logp = out.logp.dataSync() as Float32Array;
    const V = meta.vocab.length;
    const nats: (number | null)[] = chars.map((_, i) => (i + 1 < ids.length ? round3(-logp[i * V + ids[i + 1]]) : null));
    const scored = nats.filter((x): x is number => x !== null);
    const result: RunTextResult = { model: modelId, unit: req.unit, chars, values, nats, meanNats: scored.length ? round3(scored.reduce((a, b) => a + b, 0) / scored.length) : null };
    if (req.at !== undefined) {
      const at = req.at;
      const next = at + 1 < chars.length ? chars[at + 1] : null;
      const row = logp.subarray(at * V, at * V + V);
      const guesses = Array.from(row, (lp, id) => ({ id, p: Math.exp(lp) }))
        .sort((a, b) => b.p - a.p)
        .slice(0, 5)
        .map((g) => ({ char: meta.vocab[g.id], p: round3(g.p), correct: meta.vocab[g.id] === next }));
      const kindOrder = UNIT_KINDS as string[];
      const groups = out.rows
        .map(({ k, l, row }) => ({
          kind: k,
          layer: l,
          units: Array.from(row.dataSync(), (v, i): UnitValue => ({ unit: `${k}:${l}:${i}`, value: round3(v) })).sort((a, b) => b.value - a.value || byUnitName(a.unit, b.unit)),
        }))
        .sort((a, b) => kindOrder.indexOf(a.kind as UnitKind) - kindOrder.indexOf(b.kind as UnitKind) || a.layer - b.layer);
      const loss = nats[at];
      result.inspect = { model: modelId, at, total: chars.length, char: chars[at], next, lossNats: loss, lossBits: loss === null ? null : round3(loss / Math.LN2), guesses, groups };
    }
    return result;
  } finally {
    tf.dispose([out.values, out.logp, ...out.rows.map((r) => r.row), ...out.state.flatMap((s) => Object.values(s))]);
  }
}
