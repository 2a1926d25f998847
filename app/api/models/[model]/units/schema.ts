/** Query of GET /api/models/[model]/units. */
import { z } from "zod";
import { KIND_LIST, UNIT_KINDS } from "@/lib/model/unit-kinds.ts";

export const UnitsQuery = z.object({
  /** Only units of this kind (lib/model/unit-kinds.ts). */
  kind: z.enum(UNIT_KINDS as [string, ...string[]], { message: `kind must be one of ${KIND_LIST}` }).optional(),
  /** Only units of this layer. */
  layer: z
    .string()
    .trim()
    .regex(/^\d{1,3}$/, "layer must be a whole number")
    .transform(Number)
    .optional(),
});
