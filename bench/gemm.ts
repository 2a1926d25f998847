/**
 * The matmul peak of the tfjs backend in this process: the best GFLOP/s over
 * the shapes a char-RNN uses (per-step recurrent products and the large
 * whole-batch ones), each timed as the median of several runs. Their width is
 * the cell's G·H (G gate blocks: LSTM 4, GRU 3, vanilla RNN 1; H = 256 by
 * default), so the peak is measured on the products the model really runs.
 */
import * as tf from "@tensorflow/tfjs";

function shapes(gates: number, hidden: number): [number, number, number][] {
  const n = gates * hidden;
  return [
    [50, 256, n],
    [50, 512, n],
    [100, 512, n],
    [5000, 256, n],
    [256, 5000, n],
    [1000, 1024, n],
  ];
}

export function measureGemmPeak(gates = 4, hidden = 256): { gflopsPerSec: number; shape: string; all: Record<string, number> } {
  const all: Record<string, number> = {};
  for (const [m, k, n] of shapes(gates, hidden)) {
    const a = tf.randomNormal([m, k]);
    const b = tf.randomNormal([k, n]);
    const flops = 2 * m * k * n;
    const reps = Math.max(3, Math.min(50, Math.round(2e9 / flops)));
    tf.matMul(a, b).dispose();
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      // No read-back inside the timing: the wasm backend (and the native product) run synchronously, and
      // copying a 50×1,024 result out of the heap cost three times the product itself (0.9 ms against 0.3).
      const c = tf.matMul(a, b);
      times.push(performance.now() - t0);
      c.dispose();
    }
    times.sort((x, y) => x - y);
    all[`${m}x${k}x${n}`] = flops / (times[Math.floor(times.length / 2)] / 1000) / 1e9;
    tf.dispose([a, b]);
  }
  const [shape, gflopsPerSec] = Object.entries(all).sort((x, y) => y[1] - x[1])[0];
  return { gflopsPerSec, shape, all };
}

/** Several measurements of the peak as one: each shape's best (a peak is the best the machine gives, so a slow moment cannot inflate a utilization). */
export function bestPeak(peaks: ReturnType<typeof measureGemmPeak>[]): ReturnType<typeof measureGemmPeak> {
  const all = Object.fromEntries(Object.keys(peaks[0].all).map((k) => [k, Math.max(...peaks.map((p) => p.all[k]))]));
  const [shape, gflopsPerSec] = Object.entries(all).sort((x, y) => y[1] - x[1])[0];
  return { gflopsPerSec, shape, all };
}
