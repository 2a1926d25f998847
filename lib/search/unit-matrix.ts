/**
 * Every unit's bytes for one recording, laid out in WebAssembly memory so that
 * Σ q·y over all units runs as one SIMD kernel (wasm/dot.wat): the hot loop of
 * a search. Rows are padded to a multiple of 16 bytes with zeros (zeros add
 * nothing to the sums).
 */
import { dotWasmBase64 } from "./wasm/dot-wasm.ts";

let compiled: WebAssembly.Module | undefined;

function wasmModule(): WebAssembly.Module {
  return (compiled ??= new WebAssembly.Module(Buffer.from(dotWasmBase64, "base64")));
}

const PAGE = 65536;

export interface Dots {
  /** Σ q_u·y per unit, with y as the kernel saw it (rounded to a 1/32767 grid of its range). */
  dots: Float64Array;
  /** Σ y and Σ y² of that same rounded y, so r stays consistent. */
  sy: number;
  syy: number;
}

export class UnitMatrix {
  readonly stride: number;

  /** Bytes per unit row for `chars` characters: rounded up to whole 16-byte vectors. */
  static strideFor(chars: number): number {
    return Math.ceil(chars / 16) * 16;
  }
  private readonly memory: WebAssembly.Memory;
  private readonly dotMany: (q: number, stride: number, units: number, y: number, n: number, out: number) => void;
  private readonly sumsMany: (q: number, stride: number, units: number, n: number, out: number) => void;
  private readonly yPtr: number;
  private readonly outPtr: number;

  constructor(
    readonly chars: number,
    readonly units: number,
  ) {
    this.stride = UnitMatrix.strideFor(chars);
    const bytes = units * this.stride + this.stride * 2 + units * 16;
    const instance = new WebAssembly.Instance(wasmModule(), {});
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.memory.grow(Math.ceil(bytes / PAGE));
    this.dotMany = instance.exports.dotMany as UnitMatrix["dotMany"];
    this.sumsMany = instance.exports.sumsMany as UnitMatrix["sumsMany"];
    this.yPtr = units * this.stride;
    this.outPtr = this.yPtr + this.stride * 2;
  }

  /** Unit k's bytes (a view into wasm memory: fill it, read it; never resized). */
  row(k: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, k * this.stride, this.chars);
  }

  /** Σ q_u·y for every unit u (the first `units` rows only, when given: a block being streamed). */
  dotAll(y: ArrayLike<number>, units = this.units): Dots {
    let max = 0;
    for (let i = 0; i < y.length; i++) max = Math.max(max, Math.abs(y[i]));
    const scale = max > 0 ? 32767 / max : 1;
    const yi = new Int16Array(this.memory.buffer, this.yPtr, this.stride);
    yi.fill(0);
    let sy = 0, syy = 0;
    for (let i = 0; i < y.length; i++) {
      const v = Math.round(y[i] * scale);
      yi[i] = v;
      sy += v;
      syy += v * v;
    }
    this.dotMany(0, this.stride, units, this.yPtr, this.stride, this.outPtr);
    const out = new Float64Array(this.memory.buffer, this.outPtr, units);
    const dots = Float64Array.from(out, (d) => d / scale);
    return { dots, sy: sy / scale, syy: syy / (scale * scale) };
  }

  /** Σ q and Σ q² of every unit over characters [from, to): a stretch's sums (the SIMD kernel, the last < 16 here). */
  sumsAll(from: number, to: number, units = this.units): { sumQ: Float64Array; sumQ2: Float64Array } {
    const body = Math.floor((to - from) / 16) * 16;
    this.sumsMany(from, this.stride, units, body, this.outPtr);
    const out = new Float64Array(this.memory.buffer, this.outPtr, units * 2);
    const sumQ = new Float64Array(units), sumQ2 = new Float64Array(units);
    const bytes = new Uint8Array(this.memory.buffer);
    for (let u = 0; u < units; u++) {
      let s = out[2 * u], s2 = out[2 * u + 1];
      for (let i = u * this.stride + from + body, end = u * this.stride + to; i < end; i++) (s += bytes[i]), (s2 += bytes[i] * bytes[i]);
      sumQ[u] = s;
      sumQ2[u] = s2;
    }
    return { sumQ, sumQ2 };
  }
}
