/**
 * Named float32 tensors ↔ bytes, in tfjs's weights-manifest layout
 * (`{ name, shape, dtype }` entries over one concatenated little-endian buffer),
 * and atomic file writes (temp file, fsync, rename), so a crash never leaves a
 * half-written file under the real name.
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync, mkdirSync } from "node:fs";
import path from "node:path";

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: "float32";
}

export interface NamedArrays {
  specs: WeightSpec[];
  data: Record<string, Float32Array>;
}

export function encodeArrays(specs: WeightSpec[], data: Record<string, Float32Array>): Buffer {
  const total = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  const out = new Float32Array(total);
  let off = 0;
  for (const s of specs) {
    const v = data[s.name];
    const size = s.shape.reduce((a, b) => a * b, 1);
    if (!v || v.length !== size) throw new Error(`weight ${s.name}: expected ${size} values, got ${v?.length ?? 0}`);
    out.set(v, off);
    off += size;
  }
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** Splits a buffer by its manifest; refuses a buffer of the wrong size (truncated or padded file). */
export function decodeArrays(specs: WeightSpec[], bytes: Uint8Array, what: string): Record<string, Float32Array> {
  const total = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes.byteLength !== total * 4) {
    throw new Error(`${what} is ${bytes.byteLength} bytes but its manifest describes ${total * 4}: the file is truncated or corrupt`);
  }
  // Copy into an aligned buffer (a Buffer slice may start at an odd offset).
  const all = new Float32Array(total);
  new Uint8Array(all.buffer).set(bytes);
  const data: Record<string, Float32Array> = {};
  let off = 0;
  for (const s of specs) {
    const size = s.shape.reduce((a, b) => a * b, 1);
    data[s.name] = all.subarray(off, off + size);
    off += size;
  }
  return data;
}

/** Writes `file` so that it is either the old or the whole new content, never a mix. */
export function writeFileAtomic(file: string, chunks: (Uint8Array | string)[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    for (const c of chunks) {
      const buf = typeof c === "string" ? Buffer.from(c, "utf8") : c;
      let off = 0;
      while (off < buf.byteLength) off += writeSync(fd, buf, off, buf.byteLength - off);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
