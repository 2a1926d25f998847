/**
 * Training checkpoints: one file holding everything needed to continue a run
 * exactly (weights, optimizer moments, carried state, data position, RNG),
 * written atomically and checksummed so a killed run never leaves a file that
 * loads wrong.
 *
 * Layout: the line `cellscope-checkpoint 1`, a line of JSON (the header, with
 * the manifest of the arrays and the sha256 of the binary part), then the
 * arrays as float32.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { decodeArrays, encodeArrays, writeFileAtomic, type WeightSpec } from "../model/tensor-file.ts";

const MAGIC = "cellscope-checkpoint 1\n";

export interface CheckpointHeader {
  specs: WeightSpec[];
  sha256: string;
  [key: string]: unknown;
}

export function writeCheckpoint(file: string, header: Record<string, unknown>, specs: WeightSpec[], data: Record<string, Float32Array>): void {
  const bin = encodeArrays(specs, data);
  const sha256 = createHash("sha256").update(bin).digest("hex");
  writeFileAtomic(file, [MAGIC, JSON.stringify({ ...header, specs, sha256 }) + "\n", bin]);
  removeStaleTemps(file);
}

/**
 * Deletes the `FILE.PID.tmp` files that runs killed mid-write left behind
 * (writeFileAtomic's temporaries), except those of processes still running.
 */
function removeStaleTemps(file: string): void {
  const base = path.basename(file);
  for (const name of readdirSync(path.dirname(file))) {
    const m = name.startsWith(base) && /^\.(\d+)\.tmp$/.exec(name.slice(base.length));
    if (!m || Number(m[1]) === process.pid || isRunning(Number(m[1]))) continue;
    rmSync(path.join(path.dirname(file), name), { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function readCheckpoint(file: string): { header: CheckpointHeader; data: Record<string, Float32Array> } {
  if (!existsSync(file)) throw new Error(`no checkpoint at ${file}`);
  const buf = readFileSync(file);
  if (buf.subarray(0, MAGIC.length).toString("latin1") !== MAGIC) throw new Error(`${file} is not a Cellscope checkpoint`);
  const nl = buf.indexOf(0x0a, MAGIC.length);
  if (nl < 0) throw new Error(`checkpoint ${file} is truncated (no header)`);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(buf.subarray(MAGIC.length, nl).toString("utf8"));
  } catch {
    throw new Error(`checkpoint ${file} has a corrupt header`);
  }
  const bin = buf.subarray(nl + 1);
  if (createHash("sha256").update(bin).digest("hex") !== header.sha256) {
    throw new Error(`checkpoint ${file} is truncated or corrupt (checksum mismatch)`);
  }
  return { header, data: decodeArrays(header.specs, bin, `checkpoint ${file}`) };
}
