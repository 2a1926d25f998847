/**
 * The project's root folder: where package.json, models/, corpora/ and
 * node_modules/ are. Found by walking up from this module, so it holds from
 * source (lib/), from the ahead-of-time CLI build (.build/cli/) and from the
 * app's server bundle (.next/server/…, where import.meta.dirname is undefined
 * and the walk starts at the working directory, which `npm start` sets to the
 * root). $CELLSCOPE_ROOT overrides it.
 */
import { existsSync } from "node:fs";
import path from "node:path";

function findRoot(): string {
  if (process.env.CELLSCOPE_ROOT) return path.resolve(process.env.CELLSCOPE_ROOT);
  const start = import.meta.dirname ?? process.cwd();
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json")) && existsSync(path.join(dir, "prisma", "schema.prisma"))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

export const PROJECT_ROOT = findRoot();
