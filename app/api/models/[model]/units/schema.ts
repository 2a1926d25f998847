/** Query of GET /api/models/[model]/units. */
import { z } from "zod";

export const UnitsQuery = z.object({
  /** Only units of this kind (c, h, or the gates i, f, o). */
  kind: z.enum(["c", "h", "i", "f", "o"], { message: "kind must be one of c, h, i, f, o" }).optional(),
  /** Only units of this layer. */
  layer: z
    .string()
    .trim()
    .regex(/^\d{1,3}$/, "layer must be a whole number")
    .transform(Number)
    .optional(),
});
