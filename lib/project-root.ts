/**
 * The project's root folder: where package.json, models/, corpora/ and
 * node_modules/ are, for the CLI, the benches and tests. Found by walking up
 * from this module, so it holds from source (lib/) and from the ahead-of-time
 * CLI build (.build/cli/). $CELLSCOPE_ROOT overrides it. Code the app's server
 * bundle reaches finds its folders another way (lib/corpus/corpus.ts
 * corporaDir): the bundler cannot scope a path built from this one and would
 * trace the whole project into the build.
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
