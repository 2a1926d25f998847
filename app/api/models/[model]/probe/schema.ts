/** Query of GET /api/models/[model]/probe: a regex with its mode, or a built-in signal (shared with the CLI and the search page). */
export { ProbeQuery } from "@/lib/search/probe-query.ts";
