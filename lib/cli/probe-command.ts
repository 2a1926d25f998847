/** `cellscope probe`: how many cells it takes to read a signal out of a recorded model (lib/search/probe-units.ts). */
import { parseFlags, parseSignalOrRegex, UsageError } from "./args.ts";
import { ProgressBar } from "./progress.ts";
import { probeCells } from "../cells/probe-cells.ts";
import { ProbeQuery } from "../search/probe-query.ts";

export const probeHelp = `cellscope probe --model ID (--signal NAME | --regex R [--mode inside|start|end|after|depth] [--close R2]) [--json]
    a linear read-out of the signal from the best 1, 2, 4, …, 32 units and from each layer and kind:
    trained on the first 80% of the recording, R² (or AUC for on/off signals) on the last 20%`;

export async function probeCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    model: { type: "string" },
    signal: { type: "string" },
    regex: { type: "string" },
    mode: { type: "string" },
    close: { type: "string" },
    json: { type: "boolean" },
  });
  if (!values.model) throw new UsageError("probe needs --model");
  const query = parseSignalOrRegex<ProbeQuery>("probe", values, ProbeQuery);
  // A bar only once the fits have taken over a second: most probes of small models end before.
  const t0 = performance.now();
  let bar: ProgressBar | undefined;
  const r = await probeCells(values.model as string, query, (done, total) => {
    if (!bar && performance.now() - t0 > 1000) bar = new ProgressBar(total, "probe", "fits");
    bar?.update(done);
  });
  bar?.finish();
  if (values.json) {
    process.stdout.write(JSON.stringify(r) + "\n");
    return;
  }
  if (r.problem) {
    process.stdout.write(`${r.problem}: nothing to probe\n`);
    return;
  }
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "—");
  process.stdout.write(`${r.model}: ${r.method} read-outs, ${r.metric} on the last ${r.testChars} characters (trained on ${r.trainRows} of the first ${r.trainChars}), ${r.tookMs} ms\n`);
  for (const p of r.curve) process.stdout.write(`best ${String(p.k).padStart(2)}       ${r.metric} ${f(p.score).padStart(6)}   ${p.units.slice(0, 4).join(" ")}${p.k > 4 ? " …" : ""}\n`);
  for (const g of r.groups) process.stdout.write((g.units < g.of ? `best ${g.units}/${g.of} ${g.kind}:${g.layer}` : `all ${g.kind}:${g.layer} (${g.units})`).padEnd(17) + `${r.metric} ${f(g.score).padStart(6)}\n`);
}
