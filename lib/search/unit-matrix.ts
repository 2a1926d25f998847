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
  private readonly memory: WebAssembly.Memory;
  private readonly dotMany: (q: number, stride: number, units: number, y: number, n: number, out: number) => void;
  private readonly yPtr: number;
  private readonly outPtr: number;

  constructor(
    readonly chars: number,
    readonly units: number,
  ) {
    this.stride = Math.ceil(chars / 16) * 16;
    const bytes = units * this.stride + this.stride * 2 + units * 8;
    const instance = new WebAssembly.Instance(wasmModule(), {});
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.memory.grow(Math.ceil(bytes / PAGE));
    this.dotMany = instance.exports.dotMany as UnitMatrix["dotMany"];
    this.yPtr = units * this.stride;
    this.outPtr = this.yPtr + this.stride * 2;
  }

  /** Unit k's bytes (a view into wasm memory: fill it, read it; never resized). */
  row(k: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, k * this.stride, this.chars);
  }

  /** Σ q_u·y for every unit u. */
  dotAll(y: ArrayLike<number>): Dots {
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
    this.dotMany(0, this.stride, this.units, this.yPtr, this.stride, this.outPtr);
    const out = new Float64Array(this.memory.buffer, this.outPtr, this.units);
    const dots = Float64Array.from(out, (d) => d / scale);
    return { dots, sy: sy / scale, syy: syy / (scale * scale) };
  }
}
