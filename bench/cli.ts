/**
 * How fast a command starts (P10 §5): each measure is a fresh `node
 * bin/cellscope.js …` process, timed from spawn to exit, against `node -e 0`
 * in the same run (the bare cost of starting Node here), as a ratio.
 *
 *   help         `cellscope --help` (goal ≤ 1 s)
 *   commandHelp  `cellscope search --help`: loads the search command's code
 *   search       a cold `cellscope search` on the longest recording of the store
 *                `npm start` made (or CELLSCOPE_DB): the whole process, and the
 *                search's own `tookMs` (goal ≤ 1 s in all)
 * Each is run compiled (.build/cli, made at npm install) and from the sources
 * (tsx), so the build's gain is measured too. Medians of `rounds` runs.
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { createPrisma } from "../lib/db.ts";
import { PROJECT_ROOT } from "../lib/project-root.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timed(args: string[], env: Record<string, string> = {}): { ms: number; stdout: string; stderr: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: "utf8", cwd: PROJECT_ROOT, env: { ...process.env, CELLSCOPE_DEBUG: "1", ...env } });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed: ${r.stderr.split("\n").slice(0, 3).join(" | ")}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

export async function benchCli(o: { rounds?: number; model?: string } = {}) {
  const rounds = o.rounds ?? 5;
  const prisma = createPrisma();
  const recs = await prisma.recording.findMany({ where: { status: "complete" }, select: { modelId: true, chars: true } });
  await prisma.$disconnect();
  const rec = o.model ? recs.find((r) => r.modelId === o.model) : recs.sort((a, b) => b.chars - a.chars)[0];
  if (!rec) throw new Error(o.model ? `model "${o.model}" has no complete recording in the store` : "no recorded model in the store: run npm start (or cellscope setup) first");
  const bin = path.join(PROJECT_ROOT, "bin", "cellscope.js");
  const loadBefore = os.loadavg()[0];

  const nodeMs = median(Array.from({ length: rounds }, () => timed(["-e", "0"]).ms));
  const measure = (fromSource: boolean) => {
    const env: Record<string, string> = fromSource ? { CELLSCOPE_FROM_SOURCE: "1" } : {};
    const compiled = timed([bin, "--help"], env).stderr.includes("compiled");
    if (compiled === fromSource) throw new Error(fromSource ? "CELLSCOPE_FROM_SOURCE did not run the sources" : "the compiled CLI is missing or stale: run npm run build:cli");
    const help = median(Array.from({ length: rounds }, () => timed([bin, "--help"], env).ms));
    const commandHelp = median(Array.from({ length: rounds }, () => timed([bin, "search", "--help"], env).ms));
    const searches = Array.from({ length: rounds }, (_, k) => {
      // A different pattern each round, so the search's own cache never answers.
      const r = timed([bin, "search", "--model", rec.modelId, "--regex", `\\b${["the", "if", "and", "for", "of"][k % 5]}\\b`, "--limit", "1", "--json"], env);
      return { ms: r.ms, tookMs: JSON.parse(r.stdout).tookMs as number };
    });
    const searchMs = median(searches.map((s) => s.ms));
    return {
      helpMs: Math.round(help),
      helpRatio: +(help / nodeMs).toFixed(2),
      commandHelpMs: Math.round(commandHelp),
      searchMs: Math.round(searchMs),
      searchTookMs: Math.round(median(searches.map((s) => s.tookMs))),
      searchRatio: +(searchMs / nodeMs).toFixed(2),
    };
  };
  const compiled = measure(false);
  const source = measure(true);
  return {
    bench: "cli",
    model: rec.modelId,
    chars: rec.chars,
    rounds,
    nodeMs: Math.round(nodeMs),
    compiled,
    source,
    goals: { helpMs: 1000, searchMs: 1000 },
    machine: { cpus: os.cpus().length, loadBefore: +loadBefore.toFixed(2), loadAfter: +os.loadavg()[0].toFixed(2) },
  };
}
