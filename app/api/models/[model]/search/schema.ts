/** Query of GET /api/models/[model]/search: a regex with its mode, or a built-in signal (shared with the CLI and the search page). */
export { SearchQuery } from "@/lib/search/query.ts";
