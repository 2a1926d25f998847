/** Route segment, query and PATCH body of /api/collections/[slug]. */
import { z } from "zod";
export { CollectionPatch, SlugParams } from "@/lib/collections/inputs.ts";

/** ?previews=0 leaves out the colored previews (faster for scripts). */
export const DetailQuery = z.object({ previews: z.enum(["0", "1"], { message: "previews must be 0 or 1" }).default("1") });
