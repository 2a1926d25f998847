import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    // The `@/*` path alias from tsconfig.json.
    alias: [{ find: /^@\//, replacement: root }],
  },
  test: {
    environment: "node",
    include: ["lib/**/*.test.ts", "app/**/*.test.ts"],
    exclude: ["**/node_modules/**", "lib/generated/**"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores, shared: at most two test files at once, each in its own process
    // (tfjs backends and native modules are per-process state).
    pool: "forks",
    maxWorkers: 2,
  },
});
