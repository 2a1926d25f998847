/**
 * Cellscope's database: SQLite through Prisma 6.19's JS query engine and the
 * better-sqlite3 driver adapter (no native Prisma engines are needed, so it
 * works offline).
 *
 * The file is `$CELLSCOPE_DB`, or `data/cellscope.db` under the working
 * directory (see ./db-file.ts). Apply migrations first (`prisma migrate deploy`,
 * which `cellscope serve` does through `setupStore()` in lib/store/setup-store.ts).
 *
 * Usage:
 *   import { prisma } from "@/lib/db.ts";
 *   const corpora = await prisma.corpus.findMany();
 */
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client.ts";
import { dbPath, prepareDbFile } from "./db-file.ts";
import { storeError, toStoreError } from "./store/store-error.ts";

export { dbPath, DEFAULT_DB, prepareDbFile } from "./db-file.ts";
export { PrismaClient };
export type { Corpus, Model } from "./generated/prisma/client.ts";

/**
 * The better-sqlite3 adapter, preparing the file (WAL) when Prisma first
 * connects. A missing (or empty) file is a StoreError, not a new empty store:
 * only set-up (`prisma migrate deploy`) creates one. Prisma passes the error
 * through and tries to connect again on the next query.
 */
class CellscopeSQLite extends PrismaBetterSQLite3 {
  readonly #file: string;
  constructor(file: string, busyTimeoutMs: number) {
    // `timeout`: how long a writer waits for another process's lock (ms).
    super({ url: file, timeout: busyTimeoutMs });
    this.#file = file;
  }
  override connect() {
    if (!(fs.statSync(this.#file, { throwIfNoEntry: false })?.size ?? 0)) throw storeError("missing", this.#file);
    prepareDbFile(this.#file);
    return super.connect();
  }
}

/**
 * A new PrismaClient on `file` (default: `dbPath()`). Nothing is opened until
 * the first query. Most code should use the shared `prisma` instead; tests and
 * scripts that need their own file call this (and `$disconnect()` when done).
 * A write waits up to `busyTimeoutMs` for another process's write to finish,
 * then fails with a "store busy" error (lib/store/store-error.ts).
 */
export function createPrisma(file: string = dbPath(), { busyTimeoutMs = 10_000 }: { busyTimeoutMs?: number } = {}): PrismaClient {
  return new PrismaClient({ adapter: new CellscopeSQLite(path.resolve(file), busyTimeoutMs) });
}

// One client per process. Kept on globalThis so that `next dev`'s hot reloads,
// which re-evaluate this module, don't open a new connection each time.
const globalForPrisma = globalThis as typeof globalThis & { __cellscopePrisma?: PrismaClient; __cellscopeWriter?: PrismaClient };

/** The process-wide PrismaClient (created on first call, on `dbPath()` at that time). */
export function getPrisma(): PrismaClient {
  return (globalForPrisma.__cellscopePrisma ??= createPrisma());
}

/** The process-wide PrismaClient. Creating it opens nothing; the first query connects. */
export const prisma: PrismaClient = getPrisma();

/**
 * Runs one of the app's writes (labels, collections) through a client of its
 * own that never waits inside SQLite: better-sqlite3 waits for another
 * process's write lock synchronously, which would stall every request of this
 * server process for as long as the other writer holds it. Here a busy store
 * is tried again after a timer, for up to `waitMs`, then is the usual "store
 * busy" error (503). `write` may run more than once, so it must be a whole
 * write (one query or one transaction).
 */
export async function writeStore<T>(write: (db: PrismaClient) => Promise<T>, { waitMs = 10_000 }: { waitMs?: number } = {}): Promise<T> {
  const db = (globalForPrisma.__cellscopeWriter ??= createPrisma(dbPath(), { busyTimeoutMs: 0 }));
  const deadline = performance.now() + waitMs;
  for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
    try {
      return await write(db);
    } catch (e) {
      if (toStoreError(e)?.problem !== "busy" || performance.now() + pause > deadline) throw e;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
