/**
 * What two cores give here, before any of Cellscope's own overheads: the
 * native matrix product (native/matmul.c) on a large product (1,000 × 1,024 ·
 * 1,024 × 1,024), run for a few seconds in one process alone, then in as many
 * processes at once as there are cores. `ceiling` = the summed rate of all ÷
 * the rate of one alone: the most a data-parallel job of such products could
 * gain on this machine (on a virtual machine two "cores" may share one
 * physical core or its memory bandwidth).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT } from "../lib/project-root.ts";

const ADDON = path.join(PROJECT_ROOT, "native", "build", "Release", "matmul.node");

/** One process's loop: products for `seconds`, printing its GFLOP/s. */
const child = (seconds: number) => `
const addon = require(${JSON.stringify(ADDON)});
const M = 1000, K = 1024, N = 1024;
const a = new Float32Array(M * K).map(() => Math.random() - 0.5), b = new Float32Array(K * N).map(() => Math.random() - 0.5), c = new Float32Array(M * N);
addon.matmul(a, b, c, 1, 1, M, K, N, false, false);
let n = 0; const t0 = performance.now();
while (performance.now() - t0 < ${seconds * 1000}) { addon.matmul(a, b, c, 1, 1, M, K, N, false, false); n++; }
console.log(JSON.stringify({ gflops: (2 * M * K * N * n) / ((performance.now() - t0) / 1000) / 1e9 }));`;

function run(processes: number, seconds: number): Promise<number[]> {
  return Promise.all(
    Array.from(
      { length: processes },
      () =>
        new Promise<number>((resolve, reject) => {
          const p = spawn(process.execPath, ["-e", child(seconds)], { stdio: ["ignore", "pipe", "inherit"] });
          let out = "";
          p.stdout.on("data", (d: Buffer) => (out += d.toString()));
          p.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out).gflops) : reject(new Error(`product process exited ${code}`))));
        }),
    ),
  );
}

export async function benchCores(o: { seconds?: number } = {}) {
  if (!existsSync(ADDON)) throw new Error(`the native product is not built (${ADDON}): run npm install with a C compiler`);
  const seconds = o.seconds ?? 4;
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const loadBefore = os.loadavg()[0];
  const [alone] = await run(1, seconds);
  const together = await run(cores, seconds);
  const sum = together.reduce((a, b) => a + b, 0);
  return {
    bench: "cores",
    product: "1000x1024x1024",
    seconds,
    cores,
    aloneGflopsPerSec: +alone.toFixed(1),
    togetherGflopsPerSec: together.map((g) => +g.toFixed(1)),
    ceiling: +(sum / alone).toFixed(2),
    machine: { cpus: cores, loadBefore: +loadBefore.toFixed(2), loadAfter: +os.loadavg()[0].toFixed(2) },
  };
}
