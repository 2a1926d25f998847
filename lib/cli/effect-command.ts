/** `cellscope effect`: which units the model's predictions of some characters rely on, by knocking each out (lib/cells/rank-by-effect.ts). */
import { parseFlags, parseSignalOrRegex, UsageError } from "./args.ts";
import { ProgressBar } from "./progress.ts";
import { EffectQuery, rankByEffect } from "../cells/rank-by-effect.ts";

export const effectHelp = `cellscope effect --model ID (--regex R [--mode inside|start|end|after] | --signal NAME) [--from N (0)] [--to N (from + 20000)]
                 [--value zero|mean (zero)] [--exact K (10)] [--limit N (50)] [--json]
    ranks every unit by how much loss the characters the query marks gain when the unit is knocked out:
    a first-order estimate for all units, then the first K knocked out for real`;

export async function effectCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    model: { type: "string" },
    signal: { type: "string" },
    regex: { type: "string" },
    mode: { type: "string" },
    close: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    value: { type: "string" },
    exact: { type: "string" },
    limit: { type: "string" },
    json: { type: "boolean" },
  });
  if (!values.model) throw new UsageError("effect needs --model");
  const query = parseSignalOrRegex<EffectQuery>("effect", values, EffectQuery, { from: values.from, to: values.to, value: values.value, exact: values.exact, limit: values.limit });
  let bar: ProgressBar | undefined;
  const r = await rankByEffect(values.model as string, query, (done, total, phase) => {
    bar ??= new ProgressBar(total, "effect", "chunks");
    bar.update(done, { pass: phase });
  });
  bar?.finish();
  if (values.json) {
    process.stdout.write(JSON.stringify(r) + "\n");
    return;
  }
  const f = (x: number | null) => (x === null ? "—" : (x >= 0 ? "+" : "") + x.toFixed(4));
  process.stdout.write(`${r.model}: ${r.marked} marked characters in ${r.from}–${r.to}, ${r.freeNats === null ? "" : `free loss ${r.freeNats.toFixed(4)} nats/char, `}units held at ${r.query.value}, ${r.ranked} units ranked in ${(r.tookMs / 1000).toFixed(1)} s\n`);
  process.stdout.write(`change in loss per marked character when knocked out (nats):\n  unit        exact     estimate\n`);
  for (const u of r.units) process.stdout.write(`  ${u.unit.padEnd(10)} ${f(u.exact).padStart(8)}   ${f(u.estimate).padStart(8)}\n`);
  if (r.agreement) process.stdout.write(`estimate vs exact over the ${r.units.filter((u) => u.exact !== null).length} knocked out: r ${r.agreement.pearson ?? "—"}${r.agreement.sameTop ? ", same first unit" : ", different first unit"}\n`);
}
