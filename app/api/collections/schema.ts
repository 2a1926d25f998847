/** Body of POST /api/collections, and the query of GET /api/collections. */
import { z } from "zod";
export { CollectionInput } from "@/lib/collections/inputs.ts";

/** ?model=&unit=: only the collections that hold this unit (both or neither). */
export const ListQuery = z
  .object({ model: z.string().trim().min(1).optional(), unit: z.string().trim().min(1).optional() })
  .refine((q) => (q.model === undefined) === (q.unit === undefined), "give both model and unit, or neither");
