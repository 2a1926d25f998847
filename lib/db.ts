/**
 * Cellscope's database: SQLite through Prisma 6.19's JS query engine and the
 * better-sqlite3 driver adapter (no native Prisma engines are needed, so it
 * works offline).
 *
 * The file is `$CELLSCOPE_DB`, or `data/cellscope.db` under the working
 * directory (see ./db-file.ts). Apply migrations first (`prisma migrate deploy`,
 * which `cellscope serve` does through `setupStore()` in lib/cli/serve.ts).
 *
 * Usage:
 *   import { prisma } from "@/lib/db.ts";
 *   const corpora = await prisma.corpus.findMany();
 */
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client.ts";
import { dbPath, prepareDbFile } from "./db-file.ts";

export { dbPath, DEFAULT_DB, prepareDbFile } from "./db-file.ts";
export { PrismaClient };
export type { Corpus, Model } from "./generated/prisma/client.ts";

/** The better-sqlite3 adapter, preparing the file (folder, WAL) when Prisma first connects. */
class CellscopeSQLite extends PrismaBetterSQLite3 {
  readonly #file: string;
  constructor(file: string) {
    // `timeout`: how long a writer waits for another process's lock (ms).
    super({ url: file, timeout: 10_000 });
    this.#file = file;
  }
  override connect() {
    prepareDbFile(this.#file);
    return super.connect();
  }
}

/**
 * A new PrismaClient on `file` (default: `dbPath()`). Nothing is opened until
 * the first query. Most code should use the shared `prisma` instead; tests and
 * scripts that need their own file call this (and `$disconnect()` when done).
 */
export function createPrisma(file: string = dbPath()): PrismaClient {
  return new PrismaClient({ adapter: new CellscopeSQLite(path.resolve(file)) });
}

// One client per process. Kept on globalThis so that `next dev`'s hot reloads,
// which re-evaluate this module, don't open a new connection each time.
const globalForPrisma = globalThis as typeof globalThis & { __cellscopePrisma?: PrismaClient };

/** The process-wide PrismaClient (created on first call, on `dbPath()` at that time). */
export function getPrisma(): PrismaClient {
  return (globalForPrisma.__cellscopePrisma ??= createPrisma());
}

/** The process-wide PrismaClient. Creating it opens nothing; the first query connects. */
export const prisma: PrismaClient = getPrisma();
