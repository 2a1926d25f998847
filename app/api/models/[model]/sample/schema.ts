/** Query of GET /api/models/[model]/sample. */
export { SampleOptions as SampleQuery } from "@/lib/sample/sample-cell.ts";
