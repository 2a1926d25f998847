/**
 * `cellscope train` killed with SIGKILL, as a real process, at random times
 * while it writes a checkpoint every few iterations: the checkpoint always
 * loads (it is either the old or the new one, never half-written), each
 * `--resume` goes on from where the last checkpoint stood, and the run ends
 * with exactly the weights of a run that was never interrupted.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../model/backend.ts";
import { paramNames } from "../model/params.ts";
import { readCheckpoint } from "./checkpoint.ts";
import { train } from "./train.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cellscope-train-faults-"));
const corpus = path.join(dir, "tiny.txt");
fs.writeFileSync(corpus, fs.readFileSync(path.join(ROOT, "corpora/warpeace.txt")).subarray(0, 6000));

// 67 batches per epoch; a checkpoint after every iteration that ends 30 ms after the last one.
const OPTS = { layers: 1, hidden: 32, batch: 4, seq: 20, epochs: 3, validMinutes: 1e6 };
const TOTAL = 3 * 67;
const flags = ["--corpus", corpus, "--layers", "1", "--hidden", "32", "--batch", "4", "--seq", "20", "--epochs", "3", "--valid-minutes", "1000000", "--checkpoint-minutes", "0.0005"];

function trainProcess(out: string, resume: boolean) {
  const child = spawn(process.execPath, [path.join(ROOT, "bin/cellscope.js"), "train", ...flags, "--out", out, ...(resume ? ["--resume"] : [])], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, done };
}

/** The iteration a checkpoint stands at; throws if it does not load. */
const iterationOf = (file: string) => (readCheckpoint(file).header.progress as { iteration: number }).iteration;

beforeAll(async () => {
  await initBackend("wasm");
});

describe("train under SIGKILL", () => {
  it("always leaves a checkpoint that loads, and --resume ends at the weights of an uninterrupted run", async () => {
    const out = path.join(dir, "killed");
    const ckpt = path.join(out, "checkpoint.ckpt");
    const seen: number[] = [];
    for (let kill = 0; kill < 3; kill++) {
      const before = fs.existsSync(ckpt) ? iterationOf(ckpt) : 0;
      const run = trainProcess(out, kill > 0);
      // Once this process has written a checkpoint of its own, kill it at a random moment
      // (it writes one every few milliseconds, so some kills land in the middle of a write).
      for (;;) {
        let at = -1;
        try {
          at = fs.existsSync(ckpt) ? iterationOf(ckpt) : -1;
        } catch {
          // Read while being replaced: the rename is atomic, so this would be a torn file.
          throw new Error("read a checkpoint that does not load while training wrote it");
        }
        if (at > before) break;
        if (run.child.exitCode !== null) throw new Error(`train exited early: ${await run.done.then((r) => r.stderr)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      await new Promise((r) => setTimeout(r, Math.random() * 250));
      run.child.kill("SIGKILL");
      const r = await run.done;
      expect(r.signal, r.stderr).toBe("SIGKILL");
      const at = iterationOf(ckpt); // never half-written: it loads and checks its sha256
      expect(at).toBeGreaterThan(before);
      expect(at).toBeLessThan(TOTAL);
      seen.push(at);
    }

    const last = trainProcess(out, true);
    const r = await last.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`finished after ${TOTAL} iterations`);
    expect(iterationOf(ckpt)).toBe(TOTAL);
    // Killed runs' temporaries are cleaned up by the next checkpoint.
    expect(fs.readdirSync(out).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    // The same run, never interrupted, in this process.
    const straight = path.join(dir, "straight");
    await train({ corpus, ...OPTS, out: straight }).done;
    const a = readCheckpoint(path.join(straight, "checkpoint.ckpt")).data;
    const b = readCheckpoint(ckpt).data;
    for (const k of paramNames({ cell: "lstm", layers: 1 })) expect(Array.from(b[k]), `${k} (killed at iterations ${seen.join(", ")})`).toEqual(Array.from(a[k]));
  }, 180_000);

  it("a kill in the middle of writing a checkpoint leaves the previous one whole", async () => {
    // A process that writes 16 MB checkpoints back to back, each filled with its own version number.
    const file = path.join(dir, "writer", "checkpoint.ckpt");
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        `const { writeCheckpoint } = await import(${JSON.stringify(path.join(ROOT, "lib/train/checkpoint.ts"))});
         const n = 4 << 20;
         for (let v = 1; ; v++) writeCheckpoint(${JSON.stringify(file)}, { version: v }, [{ name: "x", shape: [n], dtype: "float32" }], { x: new Float32Array(n).fill(v) });`,
      ],
      { cwd: ROOT, stdio: "ignore" },
    );
    const exited = new Promise((r) => child.on("close", r));
    const tmp = `${file}.${child.pid}.tmp`;
    try {
      // Kill it while a new version is being written over an existing one.
      while (!(fs.existsSync(file) && fs.existsSync(tmp))) {
        if (child.exitCode !== null) throw new Error("the writer exited");
        await new Promise((r) => setTimeout(r, 2));
      }
      child.kill("SIGKILL");
    } finally {
      child.kill("SIGKILL");
      await exited;
    }
    const { header, data } = readCheckpoint(file);
    expect(header.version).toBeGreaterThanOrEqual(1);
    expect(data.x.length).toBe(4 << 20);
    expect(data.x.every((x) => x === header.version)).toBe(true);
  });
});
