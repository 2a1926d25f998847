/** Query of GET /api/models/[model]/text. */
import { z } from "zod";

export const TextQuery = z.object({
  /** The recording id the client expects (from the cell page); with it the answer may be cached for good. */
  recording: z
    .string()
    .regex(/^\d{1,9}$/, "recording must be a recording id (a whole number)")
    .transform(Number)
    .optional(),
});
