/** `cellscope search` and `cellscope export`: read what `record` stored. */
import { num, parseFlags, parseSignalOrRegex, UsageError } from "./args.ts";
import { CONSTANT_STD } from "../api/limits.ts";
import { SearchQuery } from "../search/query.ts";
import { searchRecording } from "../search/search.ts";
import { checkUnit, findRecording, readUnitValues } from "../store/recordings.ts";

export const searchHelp = `cellscope search --model ID (--regex R [--mode inside|start|end|after|depth] [--close R2] | --signal NAME) [--from S] [--to E] [--limit K] [--sort r|auc] [--json]
  --from/--to rank over recording offsets [S, E) only (default: the whole recording)`;
export const exportHelp = `cellscope export --model ID --unit KIND:LAYER:INDEX [--start S --end E] (--json | --csv)`;

export async function searchCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    model: { type: "string" },
    regex: { type: "string" },
    mode: { type: "string" },
    close: { type: "string" },
    signal: { type: "string" },
    limit: { type: "string" },
    sort: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    json: { type: "boolean" },
  });
  if (!values.model) throw new UsageError("search needs --model");
  const query = parseSignalOrRegex<SearchQuery>("search", values, SearchQuery, { limit: values.limit, sort: values.sort, from: values.from, to: values.to });
  // The store's bulk connection only: a cold search does not start Prisma (about 0.2 s here).
  const rec = await findRecording(values.model as string);
  const r = await searchRecording(rec, query, { stream: true });
  const { spans: _spans, ...rest } = r;
  const out = {
    ...rest,
    bestR: +r.bestR.toFixed(4),
    results: r.results.map((x) => ({ unit: x.unit, r: +x.r.toFixed(4), ...(x.auc !== undefined ? { auc: +x.auc.toFixed(4) } : {}), std: +x.std.toFixed(4), ...(x.caution ? { caution: x.caution } : {}) })),
  };
  if (values.json) {
    process.stdout.write(JSON.stringify(out) + "\n");
    return;
  }
  if (r.problem) process.stdout.write(`${r.problem}\n`);
  const [from, to] = [query.from ?? 0, query.to ?? rec.chars];
  const over = from === 0 && to === rec.chars ? `${rec.chars} characters` : `${to - from} characters (offsets ${from}–${to - 1} of ${rec.chars})`;
  process.stdout.write(`${r.matches} matches, ${(r.coverage * 100).toFixed(1)}% of ${over} on, ${r.tookMs} ms\n`);
  if (r.noTrack) process.stdout.write(`${r.noTrack}\n`);
  if (r.constant) process.stdout.write(`${r.constant} constant units (std under ${CONSTANT_STD}) ranked last\n`);
  for (const x of out.results) process.stdout.write(`${x.unit.padEnd(10)} r ${x.r.toFixed(3).padStart(7)}${x.auc !== undefined ? `  auc ${x.auc.toFixed(3)}` : ""}${x.caution ? `  (${x.caution})` : ""}\n`);
}

export async function exportCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    model: { type: "string" },
    unit: { type: "string" },
    start: { type: "string" },
    end: { type: "string" },
    json: { type: "boolean" },
    csv: { type: "boolean" },
  });
  if (!values.model || !values.unit) throw new UsageError("export needs --model and --unit");
  if (!values.json === !values.csv) throw new UsageError("export needs one of --json or --csv");
  // Imported here: a search never loads Prisma.
  const { createPrisma } = await import("../db.ts");
  const prisma = createPrisma();
  try {
    const rec = await findRecording(values.model as string);
    const model = (await prisma.model.findUnique({ where: { id: rec.modelId } }))!;
    const { recordedKindsOf } = await import("../model/cells.ts");
    checkUnit(rec, model, values.unit as string, recordedKindsOf(model.cell));
    const start = num(values, "start") ?? 0;
    const end = num(values, "end") ?? rec.chars;
    if (!Number.isInteger(start) || start < 0 || start >= rec.chars) throw new UsageError(`--start must be 0 to ${rec.chars - 1}`);
    if (!Number.isInteger(end) || end <= start || end > rec.chars) throw new UsageError(`--end must be ${start + 1} to ${rec.chars}`);
    const values_ = readUnitValues(rec, values.unit as string, start, end);
    const text = Array.from(rec.text).slice(start, end);
    const round = (v: number) => +v.toFixed(4);
    if (values.json) {
      process.stdout.write(JSON.stringify({ model: rec.modelId, unit: values.unit, start, text: text.join(""), values: Array.from(values_, round) }) + "\n");
    } else {
      process.stdout.write("offset,char,value\n");
      text.forEach((ch, i) => process.stdout.write(`${start + i},${JSON.stringify(ch)},${round(values_[i])}\n`));
    }
  } finally {
    await prisma.$disconnect();
  }
}
