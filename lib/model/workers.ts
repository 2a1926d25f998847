/**
 * How a job is shared among cores: training (lib/train/data-parallel.ts) and
 * recording (lib/record/record-workers.ts) both split a batch's streams among
 * worker threads, each with its own tfjs wasm backend.
 */
import os from "node:os";

/** The most workers a job may ask for (a laptop's cores; each holds a backend and a copy of the weights). */
export const MAX_WORKERS = 8;

/** The workers a job uses by default: one per core, at most MAX_WORKERS. */
export const defaultWorkers = () => Math.max(1, Math.min(MAX_WORKERS, os.availableParallelism?.() ?? os.cpus().length));

/** Why `workers` is not a worker count a job accepts, or null when it is. */
export function badWorkers(workers: number): string | null {
  return Number.isInteger(workers) && workers >= 1 && workers <= MAX_WORKERS ? null : `must be 1 to ${MAX_WORKERS}`;
}

/** Stream ranges [from, to) of each of `workers` workers for `batch` streams, as even as they go. */
export function splitStreams(batch: number, workers: number): [number, number][] {
  const w = Math.max(1, Math.min(workers, batch));
  return Array.from({ length: w }, (_, k) => [Math.floor((k * batch) / w), Math.floor(((k + 1) * batch) / w)]);
}
