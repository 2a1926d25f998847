import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import type { TensorInfo } from "@tensorflow/tfjs";
import { initBackend } from "./backend.ts";
import { installNativeAddon, wasmBatchMatMul } from "./native-matmul.ts";
import { loadNativeAddon } from "./native-addon.ts";
import { Random } from "./random.ts";

const hasCompiler = (() => {
  try {
    execFileSync("cc", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** op(A)·op(B) in float64, one batch at a time (a or b broadcast when its batch is 1). */
function reference(a: tf.Tensor, b: tf.Tensor, tA: boolean, tB: boolean): number[] {
  const av = a.dataSync(), bv = b.dataSync();
  const [ra, rb] = [a.rank, b.rank];
  const M = tA ? a.shape[ra - 1] : a.shape[ra - 2], K = tA ? a.shape[ra - 2] : a.shape[ra - 1];
  const N = tB ? b.shape[rb - 2] : b.shape[rb - 1];
  const batchA = av.length / (M * K), batchB = bv.length / (K * N), batch = Math.max(batchA, batchB);
  const out: number[] = [];
  for (let q = 0; q < batch; q++) {
    const ao = batchA === 1 ? 0 : q * M * K, bo = batchB === 1 ? 0 : q * K * N;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += av[ao + (tA ? k * M + i : i * K + k)] * bv[bo + (tB ? j * K + k : k * N + j)];
        out.push(s);
      }
  }
  return out;
}

/** The wasm backend's own product of the same tensors. */
function wasmProduct(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  const backend = tf.backend();
  const info = wasmBatchMatMul()!({ inputs: { a, b }, attrs: { transposeA, transposeB }, backend }) as TensorInfo;
  return tf.engine().makeTensorFromTensorInfo(info);
}

const rng = new Random(11);
const tensor = (shape: number[]) => tf.tensor(Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng.uniform(-1, 1)), shape);

beforeAll(async () => {
  await initBackend("wasm");
});

describe("the native matrix product", () => {
  it("is built and installed wherever a C compiler is (npm install builds it)", () => {
    if (!hasCompiler || process.env.CELLSCOPE_NATIVE === "0") return;
    expect(loadNativeAddon().why).toBeUndefined();
    expect(installNativeAddon()).toMatch(/^native/);
  });

  it("gives the wasm product's values and a float64 reference's, for every transpose, edge sizes and broadcast batches", () => {
    if (!loadNativeAddon().addon) return;
    // Sizes straddle the kernel's tiles (6 rows, 16 or 32 columns) and its blocks of 256 along k.
    const cases: [number[], number[]][] = [
      [[1, 1], [1, 1]],
      [[7, 33], [33, 17]],
      [[50, 256], [256, 1024]],
      [[13, 300], [300, 70]],
      [[3, 5, 9], [3, 9, 40]],
      [[4, 6, 19], [19, 31]],
      [[97, 513], [513, 35]],
    ];
    let checked = 0;
    for (const [sa, sb] of cases)
      for (const tA of [false, true])
        for (const tB of [false, true]) {
          const shapeA = tA ? [...sa.slice(0, -2), sa.at(-1)!, sa.at(-2)!] : sa;
          const shapeB = tB ? [...sb.slice(0, -2), sb.at(-1)!, sb.at(-2)!] : sb;
          tf.tidy(() => {
            const a = tensor(shapeA), b = tensor(shapeB);
            const native = tf.matMul(a, b, tA, tB);
            const wasm = wasmProduct(a, b, tA, tB);
            expect(native.shape).toEqual(wasm.shape);
            const ref = reference(a, b, tA, tB);
            const nv = native.dataSync(), wv = wasm.dataSync();
            const K = tA ? shapeA.at(-2)! : shapeA.at(-1)!;
            const tol = 1e-6 * Math.sqrt(K) * 4;
            let vsRef = 0, vsWasm = 0;
            for (let i = 0; i < ref.length; i++) {
              vsRef = Math.max(vsRef, Math.abs(nv[i] - ref[i]));
              vsWasm = Math.max(vsWasm, Math.abs(nv[i] - wv[i]));
            }
            expect(vsRef, `${shapeA}·${shapeB} tA=${tA} tB=${tB}`).toBeLessThan(tol);
            expect(vsWasm, `${shapeA}·${shapeB} tA=${tA} tB=${tB}`).toBeLessThan(2 * tol);
          });
          checked++;
        }
    expect(checked).toBe(cases.length * 4);
  });

  it("rejects arrays shorter than their shapes instead of reading past them", () => {
    const { addon } = loadNativeAddon();
    if (!addon) return;
    const a = new Float32Array(6), b = new Float32Array(6), c = new Float32Array(3);
    expect(() => addon.matmul(a, b, c, 1, 1, 2, 3, 2, false, false)).toThrow(/shorter than its shape/);
    expect(() => addon.matmul(a, b, new Float32Array(4), 2, 3, 1, 3, 2, false, false)).toThrow(/batches must match/);
  });
});
