#!/usr/bin/env node
// Compiles the `cellscope` CLI ahead of time (at `npm install`) into .build/cli/:
// one esbuild bundle of bin/main.ts (lib/cli and bench/), split at each command's dynamic import
// so a command loads only its own code, with node_modules left as imports. It
// saves tsx's start (~0.3 s) and its per-file compile on every run.
// bin/cellscope.js runs the build only while no source it was built from has
// changed since (inputs.json lists them); otherwise it runs the sources through tsx.
import { build } from "esbuild";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const outdir = path.join(root, ".build", "cli");
const started = Date.now();
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await build({
  absWorkingDir: root,
  // The workers are entries of their own: worker threads load them by file
  // (lib/train/data-parallel.ts, lib/record/record-workers.ts, lib/search/regex-runner.ts).
  entryPoints: { main: "bin/main.ts", "grad-worker": "lib/train/grad-worker.ts", "record-worker": "lib/record/record-worker.ts", "regex-worker": "lib/search/regex-worker.mjs" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  outExtension: { ".js": ".mjs" },
  metafile: true,
  logLevel: "warning",
});
const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith("node_modules/"));
// Written last: a build interrupted before this line is never used.
writeFileSync(path.join(outdir, "inputs.json"), JSON.stringify({ builtAt: started, inputs }) + "\n");
console.log(`cellscope: compiled the CLI (${inputs.length} files) into .build/cli in ${((Date.now() - started) / 1000).toFixed(1)} s`);
