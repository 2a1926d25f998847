/** `cellscope columns`: a recorded model's loss by column, e.g. whether it knows where War and Peace's lines wrap. */
import { z } from "zod";
import { defined, num, parseFlags, UsageError } from "./args.ts";
import { measureLossByColumn } from "../cells/loss-by-column.ts";

export const columnsHelp = `cellscope columns --model ID [--target CHARS ("\\n")] [--given CHARS] [--width N (10)] [--last N (100)] [--json]
    the loss of a class of characters by column (characters since the last newline), from the recording
    --given " \\n"   split each target's loss into −ln p(given) (a word ends here) and −ln p(target | given) (…and the line)`;

export async function columnsCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    model: { type: "string" },
    target: { type: "string" },
    given: { type: "string" },
    width: { type: "string" },
    last: { type: "string" },
    json: { type: "boolean" },
  });
  if (!values.model) throw new UsageError("columns needs --model");
  // The shell gives "\n" as two characters; read the usual escapes.
  const chars = (flag: string) => z.string().min(1, `${flag} needs at least one character`).transform((s) => s.replace(/\\n/g, "\n").replace(/\\t/g, "\t"));
  const opts = z
    .object({
      target: chars("--target").optional(),
      given: chars("--given").optional(),
      width: z.number().optional(),
      last: z.number().optional(),
    })
    .parse(defined({ target: values.target as string | undefined, given: values.given as string | undefined, width: num(values, "width"), last: num(values, "last") }));
  const r = await measureLossByColumn(values.model as string, opts);
  if (values.json) {
    process.stdout.write(JSON.stringify(r) + "\n");
    return;
  }
  const f = (x: number | null, d = 3) => (x === null ? "—" : x.toFixed(d));
  process.stdout.write(`${r.model}: loss by column over ${r.chars} characters; target ${JSON.stringify(r.target)}\n`);
  const split = r.given !== undefined;
  process.stdout.write(`columns     chars   nats/char   targets   target nats   target p${split ? `   −ln p(given)   −ln p(target|given)   given ${JSON.stringify(r.given)}` : ""}\n`);
  for (const b of r.buckets) {
    const cols = b.to === null ? `${b.from}+` : `${b.from}–${b.to - 1}`;
    process.stdout.write(
      `${cols.padEnd(9)} ${String(b.chars).padStart(7)}   ${f(b.nats).padStart(9)}   ${String(b.targets).padStart(7)}   ${f(b.targetNats).padStart(11)}   ${f(b.targetP).padStart(8)}${split ? `   ${f(b.classNats ?? null).padStart(12)}   ${f(b.givenNats ?? null).padStart(19)}` : ""}\n`,
    );
  }
}
