/**
 * `cellscope record` killed and doubled, as real processes: a run killed with
 * SIGKILL mid-recording is never served, the next run finishes it with the
 * bytes of an uninterrupted recording, and of two runs started at once on
 * the same model and store one is refused, saying why.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cellscope-record-faults-"));
const STORE = path.join(dir, "store.db");
const CLEAN = path.join(dir, "clean.db");
const saved = process.env.CELLSCOPE_DB;
process.env.CELLSCOPE_DB = STORE;
const MODEL_DIR = path.join(ROOT, "e2e/fixtures/models/warpeace-2x64");
const ID = "warpeace-2x64";
const CHARS = 12_000;
// 256-character chunks: a window (8 chunks) is committed about every second.
const ARGS = ["record", "--model", MODEL_DIR, "--split", "test", "--chars", String(CHARS), "--chunk-chars", "256", "--streams", "2", "--warmup", "50"];

const { setupStore } = await import("../store/setup-store.ts");
const { prisma } = await import("../db.ts");
const { respond } = await import("../api/errors.ts");
const { getModel } = await import("../cells/get-model.ts");
const { listModels } = await import("../cells/list-models.ts");

interface Run {
  pid: number;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  kill: (signal: NodeJS.Signals) => void;
}

/** `node bin/cellscope.js record …` on `store`, as a child process. */
function record(store: string): Run {
  const child = spawn(process.execPath, [path.join(ROOT, "bin/cellscope.js"), ...ARGS], {
    cwd: ROOT,
    env: { ...process.env, CELLSCOPE_DB: store, CELLSCOPE_STORE_READY: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  return { pid: child.pid!, done, kill: (s) => child.kill(s) };
}

/** The store's recording rows, read without Prisma (as another process would). */
function recordings(store: string): { id: number; status: string; charsDone: number; chars: number; nats: number | null }[] {
  const db = new Database(store, { readonly: true });
  try {
    return db.prepare(`SELECT "id", "status", "charsDone", "chars", "nats" FROM "Recording" ORDER BY "id"`).all() as never;
  } finally {
    db.close();
  }
}

/** Everything a recording stored, as comparable strings: each unit's bytes, per-character data, unit statistics. */
function contents(store: string): Map<string, string> {
  const db = new Database(store, { readonly: true });
  try {
    const out = new Map<string, string>();
    const [rec] = db.prepare(`SELECT "id", "chars", "chunkChars", "nats", "charsDone", "status" FROM "Recording"`).all() as { id: number; chars: number; chunkChars: number }[];
    out.set("recording", JSON.stringify({ ...rec, id: undefined }));
    for (const r of db.prepare(`SELECT "unit", "chunk", "data" FROM "ActivationChunk" WHERE "recordingId" = ? ORDER BY "unit", "chunk"`).iterate(rec.id) as Iterable<{ unit: string; chunk: number; data: Buffer }>) {
      out.set(`${r.unit}#${r.chunk}`, r.data.toString("base64"));
    }
    for (const r of db.prepare(`SELECT * FROM "CharChunk" WHERE "recordingId" = ? ORDER BY "chunk"`).iterate(rec.id) as Iterable<Record<string, Buffer | number>>) {
      out.set(`chars#${r.chunk}`, ["nll", "topIds", "topProbs"].map((k) => (r[k] as Buffer).toString("base64")).join("/"));
    }
    for (const r of db.prepare(`SELECT * FROM "Unit" WHERE "recordingId" = ? ORDER BY "unit"`).iterate(rec.id) as Iterable<Record<string, unknown>>) {
      out.set(`stats ${r.unit}`, JSON.stringify({ ...r, recordingId: undefined }));
    }
    return out;
  } finally {
    db.close();
  }
}

async function waitFor<T>(what: string, f: () => T | undefined | false, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  await setupStore();
  // The reference store: a copy of the freshly migrated one (quicker than migrating again).
  const db = new Database(STORE);
  await db.backup(CLEAN);
  db.close();
}, 60_000);

afterAll(async () => {
  await prisma.$disconnect();
  if (saved === undefined) delete process.env.CELLSCOPE_DB;
  else process.env.CELLSCOPE_DB = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("record under faults", () => {
  it("killed with SIGKILL mid-recording: never served; of two runs started next, one finishes it with the bytes of an uninterrupted run, the other is refused", async () => {
    // The reference, uninterrupted, into its own store (at the same time, to save wall time).
    const clean = record(CLEAN);

    const first = record(STORE);
    const partial = await waitFor("a first committed window", () => fs.existsSync(STORE) && recordings(STORE).find((r) => r.charsDone > 0));
    first.kill("SIGKILL");
    const killed = await first.done;
    expect(killed.signal).toBe("SIGKILL");
    const [left] = recordings(STORE);
    expect(left.status).toBe("recording");
    expect(left.charsDone).toBeGreaterThanOrEqual(partial.charsDone);
    expect(left.charsDone).toBeLessThan(CHARS);
    expect(left.charsDone % 2048).toBe(0);

    // Nothing serves the partial recording: the explorer's data layer and the API say there is none yet.
    expect((await listModels()).find((m) => m.id === ID)?.recording).toBeNull();
    const res = await respond(() => getModel(ID));
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toMatch(/has no complete recording yet: run cellscope record/);

    // Two runs at once on the same model and store: one takes the lock and finishes the recording, the other is refused.
    const [a, b] = await Promise.all([record(STORE).done, record(STORE).done]);
    const finished = [a, b].filter((r) => r.code === 0);
    const refused = [a, b].filter((r) => r.code !== 0);
    expect(finished, a.stderr + b.stderr).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(finished[0].stderr).toMatch(/finished an interrupted recording: 12000 characters/);
    expect(refused[0].stderr.trim()).toMatch(
      new RegExp(`^cellscope record: error: ${ID} is already being recorded into ${STORE.replace(/[.]/g, "\\.")} by process \\d+: wait for it to finish`),
    );
    expect(refused[0].stderr.trim().split("\n")).toHaveLength(1);

    expect((await clean.done).code).toBe(0);
    const recs = recordings(STORE);
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ status: "complete", charsDone: CHARS, chars: CHARS });
    const got = contents(STORE);
    const want = contents(CLEAN);
    expect([...got.keys()]).toEqual([...want.keys()]);
    for (const [k, v] of want) expect(got.get(k), k).toBe(v);
    const db = new Database(STORE, { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      db.close();
    }
    expect((await listModels()).find((m) => m.id === ID)?.recording?.chars).toBe(CHARS);
  }, 180_000);
});
