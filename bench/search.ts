/**
 * Search latency over every unit of a model (fresh 2×256 weights unless
 * `--model`, or `--layers 3 --hidden 512` for the paper's biggest) recorded
 * over War and Peace's test split (160k characters), against the time to read
 * the same activation bytes from the store once, in the same process. Also
 * what the recording cost (seconds, bytes per character × unit), the time to
 * read one unit's bytes (a cell page's read) and the process's peak memory,
 * which holds the whole recording for search (lib/search/load-units.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { recordModel } from "../lib/record/record.ts";
import { createPrisma } from "../lib/db.ts";
import { closeBulk, openBulk, readAllUnits, readUnit } from "../lib/store/activations.ts";
import { findRecording } from "../lib/store/recordings.ts";
import { clearSeriesCache } from "../lib/search/load-units.ts";
import { searchRecording } from "../lib/search/search.ts";
import type { SearchQuery } from "../lib/search/query.ts";
import { benchModel, tempStore } from "./record.ts";

const QUERIES: SearchQuery[] = [
  { signal: "inside_quotes", limit: 50, sort: "r" },
  { signal: "chars_since_newline", limit: 50, sort: "r" },
  { signal: "line_fraction", limit: 50, sort: "r" },
  { signal: "is_upper", limit: 50, sort: "r" },
  { regex: "\\bthe\\b", mode: "inside", limit: 50, sort: "r" },
  { regex: "[.!?]\\s", mode: "after", limit: 50, sort: "r" },
  { regex: "\\(", mode: "depth", close: "\\)", limit: 50, sort: "r" },
  // Stretches: the yardstick's first 60,000 characters, and one that starts and ends off the 16-byte grid.
  { signal: "inside_quotes", limit: 50, sort: "r", to: 60_000 },
  { regex: "\\bthe\\b", mode: "inside", limit: 50, sort: "r", from: 40_001, to: 140_003 },
];

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

export async function benchSearch(o: { rounds?: number; model?: string; layers?: number; hidden?: number }) {
  const rounds = o.rounds ?? 5;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cellscope-bench-"));
  const model = benchModel(dir, "warpeace", o.model, { layers: o.layers, hidden: o.hidden });
  const file = await tempStore(dir);
  const prisma = createPrisma();
  try {
    const tRecord = performance.now();
    await recordModel(prisma, { model, split: "test" });
    const recordSeconds = (performance.now() - tRecord) / 1000;
    const rec = await findRecording(path.basename(model));
    const unitNames = (await prisma.unit.findMany({ where: { recordingId: rec.id }, select: { unit: true } })).map((u) => u.unit);
    const units = unitNames.length;
    // A cell page's read: one unit's bytes over the whole recording (median of 50 units spread over the model).
    const unitReads: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      readUnit(openBulk(), rec.id, unitNames[Math.floor((i * units) / 50)], rec.chars);
      unitReads.push(performance.now() - t);
    }
    // Baseline: read every activation byte of the recording from SQLite once (best of 3).
    const reads: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      readAllUnits(openBulk(), rec.id, rec.chars, rec.chunkChars);
      reads.push(performance.now() - t0);
    }
    const readMs = Math.min(...reads);
    // Cold: the first search loads the recording into the search cache.
    clearSeriesCache();
    const t0 = performance.now();
    await searchRecording(rec, QUERIES[0], { cache: false });
    const coldMs = performance.now() - t0;
    const regex: number[] = [], builtin: number[] = [];
    const perQuery: Record<string, number[]> = {};
    for (let r = 0; r < rounds; r++) {
      for (const q of QUERIES) {
        const t = performance.now();
        await searchRecording(rec, q, { cache: false });
        const ms = performance.now() - t;
        ("signal" in q ? builtin : regex).push(ms);
        const stretch = q.from !== undefined || q.to !== undefined ? ` [${q.from ?? 0}, ${q.to ?? rec.chars})` : "";
        (perQuery[("signal" in q ? q.signal : `${q.mode}:${q.regex}`) + stretch] ??= []).push(ms);
      }
    }
    const all = [...regex, ...builtin];
    // Fold the write-ahead log into the database file first: its size is the store's size.
    openBulk().pragma("wal_checkpoint(TRUNCATE)");
    const dbBytes = ["", "-wal"].reduce((s, ext) => s + (fs.existsSync(file + ext) ? fs.statSync(file + ext).size : 0), 0);
    return {
      bench: "search",
      model: path.basename(model),
      chars: rec.chars,
      units,
      recordSeconds: +recordSeconds.toFixed(1),
      unitReadP50Ms: +pct(unitReads, 0.5).toFixed(2),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      p50Ms: +pct(all, 0.5).toFixed(1),
      p95Ms: +pct(all, 0.95).toFixed(1),
      regex: { p50Ms: +pct(regex, 0.5).toFixed(1), p95Ms: +pct(regex, 0.95).toFixed(1) },
      builtin: { p50Ms: +pct(builtin, 0.5).toFixed(1), p95Ms: +pct(builtin, 0.95).toFixed(1) },
      perQueryP50Ms: Object.fromEntries(Object.entries(perQuery).map(([k, v]) => [k, +pct(v, 0.5).toFixed(1)])),
      readOnceMs: +readMs.toFixed(1),
      scanRatio: +(pct(all, 0.5) / readMs).toFixed(3),
      coldFirstSearchMs: +coldMs.toFixed(1),
      storeBytes: dbBytes,
      bytesPerCharUnit: +(dbBytes / (rec.chars * units)).toFixed(4),
    };
  } finally {
    await prisma.$disconnect();
    closeBulk();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
