import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setupStore } from "./store/setup-store.ts";
import { createPrisma, dbPath, type PrismaClient } from "./db.ts";

describe("lib/db", () => {
  let dir: string;
  let file: string;
  let prisma: PrismaClient;
  const saved = process.env.CELLSCOPE_DB;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cellscope-db-"));
    file = path.join(dir, "nested", "test.db");
    process.env.CELLSCOPE_DB = file;
    await setupStore(); // prisma migrate deploy on $CELLSCOPE_DB, then WAL
    prisma = createPrisma();
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    if (saved === undefined) delete process.env.CELLSCOPE_DB;
    else process.env.CELLSCOPE_DB = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("dbPath honours CELLSCOPE_DB and defaults to data/cellscope.db", () => {
    expect(dbPath()).toBe(file);
    expect(dbPath({ CELLSCOPE_DB: "file:x/y.db" }, "/base")).toBe("/base/x/y.db");
    expect(dbPath({}, "/repo")).toBe("/repo/data/cellscope.db");
  });

  test("migrations create the tables, and the file is in WAL mode", () => {
    const db = new Database(file, { readonly: true });
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .pluck()
        .all();
      expect(tables).toEqual(expect.arrayContaining(["Corpus", "Model", "_prisma_migrations"]));
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      db.close();
    }
  });

  test("round-trips a Corpus (and a Model) through Prisma", async () => {
    const before = Date.now();
    const created = await prisma.corpus.create({
      data: { id: "warpeace", sha256: "a".repeat(64), chars: 3_196_231 },
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);

    await prisma.model.create({
      data: {
        id: "warpeace-2x256",
        corpusId: "warpeace",
        layers: 2,
        hidden: 256,
        vocabSize: 83,
        params: 900_000,
        testNats: 1.396,
        path: "models/warpeace-2x256",
      },
    });

    // A second client on the same file sees the rows.
    const other = createPrisma(file);
    try {
      const read = await other.corpus.findUnique({ where: { id: "warpeace" }, include: { models: true } });
      expect(read).toMatchObject({ id: "warpeace", sha256: "a".repeat(64), chars: 3_196_231 });
      expect(read?.createdAt.getTime()).toBe(created.createdAt.getTime());
      expect(read?.models).toHaveLength(1);
      expect(read?.models[0]).toMatchObject({ id: "warpeace-2x256", layers: 2, hidden: 256, testNats: 1.396 });
    } finally {
      await other.$disconnect();
    }

    // The Model row keeps its Corpus from being deleted (onDelete: Restrict).
    await expect(prisma.corpus.delete({ where: { id: "warpeace" } })).rejects.toThrow();
  });
});
