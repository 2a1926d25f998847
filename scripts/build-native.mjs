#!/usr/bin/env node
// Builds the native addon (native/: the matrix product, each cell's recurrence, the dropout masks) at `npm install` with
// node-gyp, for this CPU (-march=native), into native/build/Release/matmul.node.
// Optional: where it does not build (no C compiler), Cellscope runs on the
// wasm backend's own product and says so once (lib/model/native-matmul.ts).
// Uses the node-gyp npm ships (npm_config_node_gyp in npm's scripts), so
// nothing is downloaded.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const dir = path.resolve(import.meta.dirname, "..", "native");
const started = Date.now();
const npmGyp = path.join(path.dirname(process.execPath), "..", "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js");
const gyp = [process.env.npm_config_node_gyp, npmGyp].find((p) => p && existsSync(p));
if (process.env.CELLSCOPE_NATIVE === "0") {
  console.log("cellscope: CELLSCOPE_NATIVE=0, the native addon is not built");
} else if (!gyp) {
  console.log("cellscope: node-gyp not found; the native addon is not built (the wasm one is used)");
} else {
  // The headers of the node that runs this, where it has them: else node-gyp
  // would download them.
  const prefix = path.resolve(path.dirname(process.execPath), "..");
  const nodedir = process.env.npm_config_nodedir || (existsSync(path.join(prefix, "include", "node", "node_api.h")) ? prefix : undefined);
  const args = [gyp, "rebuild", "--release", ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: "utf8" });
  if (r.status === 0) {
    console.log(`cellscope: built the native addon in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } else {
    const why = `${r.stderr ?? ""}${r.stdout ?? ""}`.trim().split("\n").filter((l) => /error/i.test(l)).slice(0, 3).join(" | ");
    console.log(`cellscope: the native addon did not build (the wasm kernels are used): ${why || `node-gyp exited ${r.status}`}`);
  }
}
