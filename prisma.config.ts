/**
 * Prisma CLI configuration (Prisma 6.19).
 *
 * Prisma's native engines cannot be downloaded here, so the CLI runs the
 * JavaScript schema engine through the better-sqlite3 driver adapter:
 * `prisma generate`, `migrate diff` and `migrate deploy` all work offline.
 * The database file comes from $CELLSCOPE_DB (default data/cellscope.db).
 */
import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { dbPath } from "./lib/db-file.ts";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    const file = dbPath();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return new PrismaBetterSQLite3({ url: file });
  },
});
