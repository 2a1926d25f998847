#!/usr/bin/env node
// The `cellscope` CLI. The code is TypeScript, run through tsx's loader so a
// fresh clone works right after `npm install`, without a build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../lib/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
