#!/usr/bin/env node
// The `cellscope` CLI. It runs the ahead-of-time build in .build/cli/ (made at
// `npm install` by scripts/build-cli.mjs) while no source file it was built
// from has changed since; otherwise, the TypeScript sources through tsx's
// loader, so an edit takes effect at once and a clone without the build works.
import { readFileSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

function freshBuild() {
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(path.join(root, ".build", "cli", "inputs.json"), "utf8"));
    return inputs.every((f) => statSync(path.join(root, f)).mtimeMs < builtAt) ? path.join(root, ".build", "cli", "main.mjs") : null;
  } catch {
    return null;
  }
}

const built = process.env.CELLSCOPE_FROM_SOURCE ? null : freshBuild();
if (process.env.CELLSCOPE_DEBUG) process.stderr.write(`cellscope: running ${built ? "the compiled CLI (.build/cli)" : "the sources (tsx)"}\n`);
let main;
if (built) {
  ({ main } = await import(built));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("./main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
