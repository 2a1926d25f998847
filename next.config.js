// @ts-check
// Next.js configuration for the Cellscope web UI (ESM: package.json has "type": "module").
// Build and start with NEXT_TELEMETRY_DISABLED=1 (lib/cli/serve.ts sets it).

/**
 * Security headers on every response. The app runs no eval: scripts may come
 * only from this origin (plus Next's inline bootstrap), nothing may frame it,
 * and the browser may not sniff content types. `next dev` needs eval for hot
 * reload, so the policy applies to production builds only.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  ...(process.env.NODE_ENV === "production" ? [{ key: "Content-Security-Policy", value: contentSecurityPolicy }] : []),
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
];

/**
 * /embed/ pages are made to be framed by other sites (a cell view in a blog
 * post): any ancestor may frame them. They run no script at all.
 */
const embedHeaders = [
  ...(process.env.NODE_ENV === "production"
    ? [{ key: "Content-Security-Policy", value: "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors *" }]
    : []),
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];

/** @type {import("next").NextConfig} */
const nextConfig = {
  async headers() {
    return [
      { source: "/((?!embed/).*)", headers: securityHeaders },
      { source: "/embed/:path*", headers: embedHeaders },
    ];
  },
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
