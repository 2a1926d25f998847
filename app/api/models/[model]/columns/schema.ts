/** Query of GET /api/models/[model]/columns (the checks on width and last live in lib/cells/loss-by-column.ts). */
import { z } from "zod";

const whole = (name: string) =>
  z
    .string()
    .regex(/^\d{1,6}$/, `${name} must be a whole number`)
    .transform(Number)
    .optional();

export const ColumnsQuery = z.object({
  /** The class of characters scored, e.g. "\n" (the default) or " ,.". */
  target: z.string().min(1, "target needs at least one character").max(64, "target is at most 64 characters").optional(),
  /** A class holding the target (e.g. " \n") to split each target's loss by: −ln p(given) + −ln p(target | given). */
  given: z.string().min(1, "given needs at least one character").max(64, "given is at most 64 characters").optional(),
  width: whole("width"),
  last: whole("last"),
});
