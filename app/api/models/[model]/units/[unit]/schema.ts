/** Query of GET /api/models/[model]/units/[unit]. */
import { z } from "zod";

export const UnitQuery = z.object({
  /** Snippets around the highest and around the lowest values, each (default 10, 1 to 20; the cell page asks for 8). */
  snippets: z.coerce
    .number({ message: "snippets must be a whole number from 1 to 20" })
    .int({ message: "snippets must be a whole number from 1 to 20" })
    .min(1, { message: "snippets must be a whole number from 1 to 20" })
    .max(20, { message: "snippets must be a whole number from 1 to 20" })
    .default(10),
});
