/**
 * A test's own store: a fresh SQLite file in a temporary folder, set as
 * CELLSCOPE_DB before the test imports anything that opens the store (lib/db.ts
 * opens its client on that file when first imported), and removed afterwards.
 *
 *   const store = throwawayStore("unit-rows");
 *   const { prisma } = await import("../db.ts"); // after the line above
 *   afterAll(store.remove);
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT } from "../project-root.ts";

/** The small model e2e and the store tests record: 2 layers of 64 LSTM units on War and Peace. */
export const FIXTURE_MODEL_DIR = path.join(PROJECT_ROOT, "e2e", "fixtures", "models", "warpeace-2x64");
export const FIXTURE_MODEL_ID = "warpeace-2x64";
/** The small captioner e2e uses (models/README.md says how it was trained). */
export const FIXTURE_CAPTIONER_DIR = path.join(PROJECT_ROOT, "e2e", "fixtures", "models", "captioner-lstm");

export function throwawayStore(name: string): { dir: string; file: string; remove: () => Promise<void> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cellscope-${name}-`));
  const saved = process.env.CELLSCOPE_DB;
  const file = path.join(dir, "store.db");
  process.env.CELLSCOPE_DB = file;
  return {
    dir,
    file,
    async remove() {
      const { prisma } = await import("../db.ts");
      const { closeBulk } = await import("../store/activations.ts");
      await prisma.$disconnect();
      closeBulk();
      if (saved === undefined) delete process.env.CELLSCOPE_DB;
      else process.env.CELLSCOPE_DB = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
