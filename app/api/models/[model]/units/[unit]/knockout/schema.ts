/** Query of GET /api/models/[model]/units/[unit]/knockout. */
import { z } from "zod";
import { offsetParam } from "@/lib/api/params.ts";
import { HoldValue } from "@/lib/cells/knock-out.ts";

export const KnockOutQuery = z.object({
  /** First character of the stretch (default 0). */
  from: offsetParam("from").default(0),
  /** One past its last (default from + 5000; at most from + 20000). */
  to: offsetParam("to").optional(),
  /** What the unit is held at: zero (default), mean, or a number from −1 to 1. */
  value: HoldValue.default("zero"),
});
