/** `cellscope errors`: where a model goes wrong, in the 2015 paper's categories (lib/cells/analyze-errors.ts). */
import { parseFlags, UsageError } from "./args.ts";
import { analyzeErrors } from "../cells/analyze-errors.ts";
import { getModelContext } from "../cells/model-context.ts";

export const errorsHelp = `cellscope errors --model ID [--json]
    its test loss broken down by the characters it gets wrong (p < 0.5): those an n-gram oracle (n ≤ 20)
    also gets wrong, dynamic memory, rare words, word starts, after a newline, punctuation, the rest`;

export async function errorsCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, { model: { type: "string" }, json: { type: "boolean" } });
  if (!values.model) throw new UsageError("errors needs --model");
  await getModelContext(values.model as string); // an unknown model is one line, before anything else
  process.stderr.write("counting the training text's n-grams (seconds to a minute the first time)…\n");
  const r = await analyzeErrors(values.model as string);
  if (values.json) {
    process.stdout.write(JSON.stringify(r) + "\n");
    return;
  }
  const f = (x: number) => x.toFixed(3);
  const pc = (k: number) => `${((k / r.chars) * 100).toFixed(1)}%`;
  process.stdout.write(`${r.model} on ${r.chars.toLocaleString("en")} characters of ${r.corpus}: ${f(r.nats)} nats/char (${(r.tookMs / 1000).toFixed(1)} s)\n`);
  process.stdout.write(`  ${"right (p ≥ 0.5)".padEnd(18)} ${pc(r.right.chars).padStart(6)} of characters   ${f(r.right.nats)} nats/char\n`);
  for (const c of r.categories) process.stdout.write(`  ${c.label.padEnd(18)} ${pc(c.chars).padStart(6)} of characters   ${f(c.nats)} nats/char\n`);
  process.stdout.write(`n-grams of the training split: best n = ${r.ngram.bestN} at ${f(r.ngram.bestNats)}, n = 20 at ${f(r.ngram.nats[19])}, the oracle (best n per character) ${f(r.ngram.oracleNats)} nats/char\n`);
  if (r.paper) process.stdout.write(`the paper (its own split of ${r.corpus}): its best LSTM ${r.paper.model}, its 20-gram ${r.paper.ngram} nats/char\n`);
}
