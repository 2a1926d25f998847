/** Query of GET /api/labels. */
import { z } from "zod";

export const LabelQuery = z.object({
  q: z.string().max(200, "q is longer than 200 characters").default(""),
  model: z.string().trim().min(1).optional(),
  limit: z
    .string()
    .regex(/^\d+$/, "limit must be a whole number")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 500, "limit must be between 1 and 500")
    .default(50),
  previews: z.enum(["0", "1"], { message: "previews must be 0 or 1" }).default("1"),
});
