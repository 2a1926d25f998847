/**
 * A collection page's data: getCollection for 50 units of the e2e fixture
 * model (recorded over 20,000 characters into a throwaway store), with their
 * colored previews, against the same call without previews as the same-run
 * baseline. Prints one JSON object.
 *
 *   npx tsx bench/collections.ts
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT } from "../lib/project-root.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cellscope-bench-collections-"));
process.env.CELLSCOPE_DB = path.join(dir, "store.db");
delete process.env.CELLSCOPE_READ_ONLY;
const root = PROJECT_ROOT;

const { setupStore } = await import("../lib/store/setup-store.ts");
const { prisma } = await import("../lib/db.ts");
const { initBackend } = await import("../lib/model/backend.ts");
const { recordModel } = await import("../lib/record/record.ts");
const { closeBulk } = await import("../lib/store/activations.ts");
const { createCollection } = await import("../lib/collections/create-collection.ts");
const { getCollection } = await import("../lib/collections/get-collection.ts");

try {
  await setupStore();
  await initBackend("wasm");
  await recordModel(prisma, { model: path.join(root, "e2e/fixtures/models/warpeace-2x64"), split: "test", chars: 20_000, gates: false, streams: 4, warmup: 50 });
  const UNITS = 50;
  const items = Array.from({ length: UNITS }, (_, i) => ({ model: "warpeace-2x64", unit: `${i % 2 ? "c" : "h"}:${i % 2}:${i}`, note: "n" }));
  const { slug } = await createCollection({ title: "bench", items });
  await getCollection(slug); // warm: the recording's text is cached after the first read
  const time = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  const withPreviews: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < 9; i++) {
    withPreviews.push(await time(() => getCollection(slug)));
    baseline.push(await time(() => getCollection(slug, { previews: false })));
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
  const p50 = median(withPreviews);
  const base = median(baseline);
  console.log(JSON.stringify({ bench: "collections", units: UNITS, p50Ms: +p50.toFixed(1), baselineNoPreviewsMs: +base.toFixed(1), perPreviewMs: +((p50 - base) / UNITS).toFixed(2) }));
} finally {
  await prisma.$disconnect();
  closeBulk();
  fs.rmSync(dir, { recursive: true, force: true });
}
