/**
 * The safetensors file format (huggingface/safetensors), read and written:
 *
 *   8 bytes   N, the header's length, unsigned 64-bit little-endian
 *   N bytes   JSON: { NAME: { dtype, shape, data_offsets: [begin, end] }, …,
 *                     "__metadata__": { KEY: "string value", … } }
 *   the rest  the tensors' bytes, little-endian, row-major; offsets count from here
 *
 * Cellscope reads F32, F64, F16 and BF16 tensors into float32 and writes F32.
 * Every malformed file gets one error that names what is wrong.
 */
import { z } from "zod";

export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsFile {
  tensors: Map<string, NamedTensor>;
  /** `__metadata__`: string keys to string values. */
  metadata: Record<string, string>;
}

const DTYPE_BYTES = { F32: 4, F64: 8, F16: 2, BF16: 2 } as const;
type Dtype = keyof typeof DTYPE_BYTES;
/** The header is JSON text; a bigger one is not a model of the size Cellscope shows. */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

const Entry = z.object({
  dtype: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  data_offsets: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
});

/** IEEE half precision → float. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function decode(dtype: Dtype, bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength / DTYPE_BYTES[dtype];
  const out = new Float32Array(n);
  const bf = new DataView(new ArrayBuffer(4));
  for (let i = 0; i < n; i++) {
    if (dtype === "F32") out[i] = view.getFloat32(4 * i, true);
    else if (dtype === "F64") out[i] = view.getFloat64(8 * i, true);
    else if (dtype === "F16") out[i] = halfToFloat(view.getUint16(2 * i, true));
    else {
      // bfloat16 is the top half of a float32.
      bf.setUint32(0, view.getUint16(2 * i, true) << 16, true);
      out[i] = bf.getFloat32(0, true);
    }
  }
  return out;
}

/** Parses a safetensors file's bytes; `what` names it in errors. */
export function readSafetensors(bytes: Uint8Array, what: string): SafetensorsFile {
  if (bytes.byteLength < 8) throw new Error(`${what} is not a safetensors file: it has ${bytes.byteLength} bytes, fewer than the 8 of the header's length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > MAX_HEADER_BYTES || 8 + n > bytes.byteLength) {
    throw new Error(`${what} is not a safetensors file: its first 8 bytes give a header of ${n} bytes, and the file has ${bytes.byteLength}`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new Error(`${what} is not a safetensors file: its header is not JSON (${(e as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) throw new Error(`${what}: the safetensors header must be a JSON object`);
  const data = bytes.subarray(8 + n);
  const tensors = new Map<string, NamedTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === "__metadata__") {
      const m = z.record(z.string(), z.string()).safeParse(raw ?? {});
      if (!m.success) throw new Error(`${what}: __metadata__ must map strings to strings (safetensors allows no other values)`);
      metadata = m.data;
      continue;
    }
    const e = Entry.safeParse(raw);
    if (!e.success) throw new Error(`${what}: tensor ${name} needs dtype, shape and data_offsets [begin, end]`);
    const { dtype, shape, data_offsets: [begin, end] } = e.data;
    if (!(dtype in DTYPE_BYTES)) throw new Error(`${what}: tensor ${name} is ${dtype}; Cellscope reads ${Object.keys(DTYPE_BYTES).join(", ")}`);
    const count = shape.reduce((a, b) => a * b, 1);
    const size = count * DTYPE_BYTES[dtype as Dtype];
    if (end - begin !== size || end > data.byteLength) {
      throw new Error(`${what}: tensor ${name} [${shape}] ${dtype} needs ${size} bytes, and its data_offsets [${begin}, ${end}] ${end > data.byteLength ? `run past the file's ${data.byteLength} bytes of data` : `hold ${end - begin}`}`);
    }
    tensors.set(name, { shape, data: decode(dtype as Dtype, data.subarray(begin, end)) });
  }
  return { tensors, metadata };
}

/** Writes float32 tensors (in the order given) and string metadata as a safetensors file. */
export function writeSafetensors(tensors: Map<string, NamedTensor>, metadata: Record<string, string>): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new Error(`tensor ${name}: shape [${t.shape}] holds ${count} values, the data ${t.data.length}`);
    header[name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + 4 * count] };
    offset += 4 * count;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces to a multiple of 8, as the reference writer does, so the data is aligned.
  json += " ".repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  const body = Buffer.alloc(offset);
  let at = 0;
  for (const t of tensors.values()) {
    for (let i = 0; i < t.data.length; i++, at += 4) body.writeFloatLE(t.data[i], at);
  }
  return Buffer.concat([head, Buffer.from(json, "utf8"), body]);
}
