/** Body of POST /api/models/[model]/run. */
export { RunTextRequest as RunBody } from "@/lib/cells/run-text.ts";
