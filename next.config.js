// @ts-check
// Next.js configuration for the Cellscope web UI (ESM: package.json has "type": "module").
// Build and start with NEXT_TELEMETRY_DISABLED=1 (lib/cli/serve.ts sets it).

/** @type {import("next").NextConfig} */
const nextConfig = {
  // Native modules, wasm and big Node-only libraries: load them with Node's own
  // require at run time instead of bundling them into the server build.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "@prisma/client",
    "@tensorflow/tfjs",
    "@tensorflow/tfjs-core",
    "@tensorflow/tfjs-backend-cpu",
    "@tensorflow/tfjs-backend-wasm",
    "re2js",
  ],
  // `next build` type-checks with tsc. Check the web app and what it imports
  // (tsconfig.next.json), not the engine's benches, scripts and tests: those are
  // checked by `npm run typecheck`, and a type error there must not stop
  // `cellscope serve` from building the UI.
  typescript: {
    tsconfigPath: "tsconfig.next.json",
  },
  // A local tool: no "X-Powered-By" header, no agent files written by `next dev`.
  poweredByHeader: false,
  agentRules: false,
};

export default nextConfig;
