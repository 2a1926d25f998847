/**
 * The store failing under the explorer: missing, never set up, corrupt, or
 * locked by another process's write; and two "browsers" writing labels at
 * once. Real SQLite files, a real second process holding the lock.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cellscope-store-faults-"));
const STORE = path.join(dir, "store.db");
const saved = process.env.CELLSCOPE_DB;
process.env.CELLSCOPE_DB = STORE;
const MODEL_DIR = path.resolve(import.meta.dirname, "../../e2e/fixtures/models/warpeace-2x64");
const ID = "warpeace-2x64";

// Imported after CELLSCOPE_DB is set: lib/db.ts opens its client on that file.
const { setupStore } = await import("../store/setup-store.ts");
const { prisma, createPrisma } = await import("../db.ts");
const { initBackend } = await import("../model/backend.ts");
const { recordModel } = await import("../record/record.ts");
const { closeBulk } = await import("./activations.ts");
const { checkStore, StoreError } = await import("./store-error.ts");
const { describeError, respond } = await import("../api/errors.ts");
const { listModels } = await import("../cells/list-models.ts");
const { getCell } = await import("../cells/get-cell.ts");
const { readActivations } = await import("../cells/read-activations.ts");
const { inspectChar } = await import("../inspect/inspect-char.ts");
const { setLabel } = await import("../cells/set-label.ts");
const { createCollection } = await import("../collections/create-collection.ts");
const { addToCollection } = await import("../collections/add-to-collection.ts");
const { getModelContext } = await import("../cells/model-context.ts");

const betterSqlite = createRequire(import.meta.url).resolve("better-sqlite3");

/** Runs `setupStore()` (prisma migrate deploy) on another file. */
async function setUp(file: string) {
  process.env.CELLSCOPE_DB = file;
  try {
    await setupStore();
  } finally {
    process.env.CELLSCOPE_DB = STORE;
  }
}

/** The JSON body and status `respond()` gives for a failing query. */
async function answer(fn: () => Promise<unknown>) {
  const res = await respond(fn);
  return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
}

/**
 * Another process that takes the store's write lock (BEGIN IMMEDIATE and a
 * write), holds it for `ms`, then rolls back and exits. Resolves once it holds the lock.
 */
async function holdWriteLock(file: string, ms: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `const D = require(${JSON.stringify(betterSqlite)}); const db = new D(${JSON.stringify(file)});
       db.exec("BEGIN IMMEDIATE"); db.exec('UPDATE "Model" SET "testNats" = "testNats"');
       process.stdout.write("held\\n");
       setTimeout(() => { db.exec("ROLLBACK"); db.close(); }, ${ms});`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`lock holder exited (${code}) before taking the lock`)));
  });
  return child;
}

beforeAll(async () => {
  await setupStore();
  await initBackend("wasm");
  await recordModel(prisma, { model: MODEL_DIR, split: "test", chars: 2048, chunkChars: 512, streams: 2, warmup: 50 });
}, 120_000);

afterAll(async () => {
  await prisma.$disconnect();
  closeBulk();
  if (saved === undefined) delete process.env.CELLSCOPE_DB;
  else process.env.CELLSCOPE_DB = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("a store that can't be read", () => {
  it("missing: says which file and which command, creates nothing, and is picked up once set up", async () => {
    const file = path.join(dir, "later", "cellscope.db");
    const problem = checkStore(file);
    expect(problem?.problem).toBe("missing");
    expect(problem?.message).toContain(file);
    expect(problem?.message).toContain("run `npx cellscope setup`");

    const client = createPrisma(file);
    try {
      await expect(client.model.count()).rejects.toThrow(StoreError);
      const { status, body } = await answer(() => client.model.count());
      expect(status).toBe(503);
      expect(body.error.code).toBe("store_missing");
      expect(body.error.message).toMatch(/^The store .*later\/cellscope\.db is missing: run `npx cellscope setup`/);
      expect(fs.existsSync(file)).toBe(false);

      // Set-up while the "server" runs: the same client reads it without a restart.
      await setUp(file);
      expect(checkStore(file)).toBeNull();
      expect(await client.model.count()).toBe(0);
    } finally {
      await client.$disconnect();
    }
  });

  it("not set up: a SQLite file without Cellscope's tables", async () => {
    const file = path.join(dir, "empty.db");
    const db = new Database(file);
    db.exec("CREATE TABLE other (x)");
    db.close();
    expect(checkStore(file)?.problem).toBe("not_set_up");
    const client = createPrisma(file);
    try {
      const { status, body } = await answer(() => client.model.findMany());
      expect(status).toBe(503);
      expect(body.error).toEqual({ code: "store_not_set_up", message: expect.stringContaining("run `npx cellscope setup`") });
    } finally {
      await client.$disconnect();
    }
  });

  it("corrupt: garbage bytes, or a real store whose header was overwritten", async () => {
    const garbage = path.join(dir, "garbage.db");
    fs.writeFileSync(garbage, Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919 + 13) % 251)));
    const damaged = path.join(dir, "damaged.db");
    const src = new Database(STORE);
    await src.backup(damaged);
    src.close();
    const fd = fs.openSync(damaged, "r+");
    fs.writeSync(fd, Buffer.alloc(100, 0x41), 0, 100, 0);
    fs.closeSync(fd);

    for (const file of [garbage, damaged]) {
      const problem = checkStore(file);
      expect(problem?.problem, file).toBe("corrupt");
      expect(problem?.message).toMatch(/is not a readable SQLite database .*: move it aside, then run `npx cellscope setup`/);
      const client = createPrisma(file);
      try {
        const { status, body } = await answer(() => client.model.count());
        expect(status).toBe(503);
        expect(body.error.code).toBe("store_corrupt");
      } finally {
        await client.$disconnect();
      }
    }
    // Set-up refuses it in one line rather than migrating over it.
    await expect(setUp(garbage)).rejects.toThrow(/^The store .* is not a readable SQLite database/);
    // Nothing was written over them.
    expect(fs.readFileSync(garbage)[100]).toBe((100 * 7919 + 13) % 251);
  });

  it("a store that reads fine reports nothing", () => {
    expect(checkStore(STORE)).toBeNull();
  });
});

describe("a writer holding the store", () => {
  it("readers keep working, a short write waits its turn, and one that waits too long is 'busy' (503)", async () => {
    const collection = await createCollection({ title: "Waiting", description: "", items: [] });
    const holder = await holdWriteLock(STORE, 3000);
    try {
      // Reads through the data layer (Prisma and the bulk connection) don't wait for the writer.
      const t0 = performance.now();
      expect((await listModels()).map((m) => m.id)).toEqual([ID]);
      expect((await getCell(ID, "c:1:5")).unit).toBe("c:1:5");
      expect((await readActivations(ID, "h:0:3", { start: 500, end: 1500 })).values).toHaveLength(1000);
      expect((await inspectChar(ID, 700)).at).toBe(700);
      expect(checkStore(STORE)).toBeNull();
      expect(performance.now() - t0).toBeLessThan(2500);

      // A writer that gives up after 300 ms: a clear 503, not a 500.
      const impatient = createPrisma(STORE, { busyTimeoutMs: 300 });
      try {
        const { status, body } = await answer(() =>
          impatient.unitLabel.create({ data: { modelId: ID, unit: "c:0:1", label: "never stored" } }),
        );
        expect(status).toBe(503);
        expect(body.error.code).toBe("store_busy");
        expect(body.error.message).toMatch(/is locked by another process writing to it/);
      } finally {
        await impatient.$disconnect();
      }

      // The app's own writes wait (up to 10 s) for the lock, then succeed, and
      // while they wait this process goes on serving: the event loop keeps turning.
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 50);
      const [label, item] = await Promise.all([
        setLabel(ID, "c:0:2", { label: "waited", note: "" }),
        addToCollection(collection.slug, { model: ID, unit: "c:0:3", note: "waited too" }),
      ]).finally(() => clearInterval(ticker));
      expect(label.label).toBe("waited");
      expect(item).toMatchObject({ unit: "c:0:3", note: "waited too", added: true });
      const waited = performance.now() - t0;
      expect(waited).toBeGreaterThan(2500);
      expect(ticks).toBeGreaterThan(20); // ~60 turns of a 50 ms timer in the 3 s the lock is held; 0 when a write stalls the loop
    } finally {
      holder.kill();
    }
    const rows = await prisma.unitLabel.findMany({ where: { modelId: ID, unit: { in: ["c:0:1", "c:0:2"] } } });
    expect(rows.map((r) => [r.unit, r.label])).toEqual([["c:0:2", "waited"]]);
  });

  it("describes a busy error from better-sqlite3 as well", () => {
    const a = new Database(STORE);
    const b = new Database(STORE, { timeout: 0 });
    try {
      a.exec("BEGIN IMMEDIATE");
      let err: unknown;
      try {
        b.exec("BEGIN IMMEDIATE");
      } catch (e) {
        err = e;
      }
      expect(describeError(err)).toMatchObject({ status: 503, code: "store_busy" });
    } finally {
      if (a.inTransaction) a.exec("ROLLBACK");
      a.close();
      b.close();
    }
  });
});

describe("the model context kept across requests", () => {
  it("is read again as soon as anything commits to the store", async () => {
    const a = await getModelContext(ID);
    expect(await getModelContext(ID)).toBe(a); // unchanged store: no query
    const other = new Database(STORE);
    try {
      other.prepare(`UPDATE "Model" SET "testNats" = 1.25 WHERE "id" = ?`).run(ID);
    } finally {
      other.close();
    }
    const b = await getModelContext(ID);
    expect(b).not.toBe(a);
    expect(b.model.testNats).toBe(1.25);
  });
});

describe("set-up while another process has the store open", () => {
  // `prisma migrate deploy` needs the file to itself (exclusive locking mode).
  it("skips the migrations when none is pending, and says what to stop when one is", async () => {
    const reader = new Database(STORE);
    const pending = path.join(dir, "pending.db");
    try {
      reader.prepare(`SELECT count(*) FROM "Model"`).get();
      await setupStore(); // a server reading the store does not stop set-up
      await reader.backup(pending);
    } finally {
      reader.close();
    }
    const other = new Database(pending);
    try {
      const last = other.prepare(`SELECT "migration_name" FROM "_prisma_migrations" ORDER BY "migration_name" DESC LIMIT 1`).pluck().get();
      other.prepare(`DELETE FROM "_prisma_migrations" WHERE "migration_name" = ?`).run(last);
      other.prepare(`SELECT count(*) FROM "Model"`).get();
      await expect(setUp(pending)).rejects.toThrow(/^the store .*pending\.db is open in another process .*: stop it, then run this again to apply 1 new migration/);
    } finally {
      other.close();
    }
  }, 60_000);
});

describe("two browsers writing labels at once", () => {
  it("keeps every write to different units, and one of the writes to the same unit", async () => {
    // "Browser" A in this process, "browser" B in another process with its own connection (like a second server).
    const units = (from: number) => Array.from({ length: 12 }, (_, i) => `h:1:${from + i}`);
    const other = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        `const { setLabel } = await import(${JSON.stringify(path.resolve(import.meta.dirname, "../cells/set-label.ts"))});
         process.stdout.write("ready\\n");
         await new Promise((r) => process.stdin.once("data", r));
         await Promise.all([
           ...${JSON.stringify(units(20))}.map((u) => setLabel(${JSON.stringify(ID)}, u, { label: "B " + u, note: "" })),
           ...Array.from({ length: 12 }, (_, i) => setLabel(${JSON.stringify(ID)}, "c:1:0", { label: "B" + i, note: "" })),
         ]);
         process.stdout.write("done\\n");
         process.exit(0); // its Prisma client and stdin would keep it alive`,
      ],
      { cwd: path.resolve(import.meta.dirname, "../.."), env: { ...process.env, CELLSCOPE_DB: STORE }, stdio: ["pipe", "pipe", "inherit"] },
    );
    let out = "";
    other.stdout!.on("data", (d: Buffer) => (out += d));
    const exited = new Promise<number | null>((r) => other.once("exit", r));
    await new Promise<void>((resolve, reject) => {
      other.stdout!.on("data", () => out.includes("ready") && resolve());
      other.once("exit", (code) => reject(new Error(`browser B exited (${code}) before starting`)));
    });
    other.stdin!.write("go\n");
    const mine = await Promise.all([
      ...units(0).map((u) => setLabel(ID, u, { label: `A ${u}`, note: "" })),
      ...Array.from({ length: 12 }, (_, i) => setLabel(ID, "c:1:0", { label: `A${i}`, note: "" })),
    ]);
    expect(await exited).toBe(0);
    expect(out).toContain("done");
    expect(mine).toHaveLength(24);

    const rows = await prisma.unitLabel.findMany({ where: { modelId: ID, unit: { in: [...units(0), ...units(20), "c:1:0"] } } });
    const stored = new Map(rows.map((r) => [r.unit, r.label]));
    for (const u of units(0)) expect(stored.get(u)).toBe(`A ${u}`);
    for (const u of units(20)) expect(stored.get(u)).toBe(`B ${u}`);
    // The same unit: last writer wins, and it is one of the writes.
    expect(stored.get("c:1:0")).toMatch(/^[AB]([0-9]|1[01])$/);
    expect(checkStore(STORE)).toBeNull();
    const db = new Database(STORE, { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      db.close();
    }
  });
});
