/** Query of GET /api/models/[model]/inspect. */
import { z } from "zod";
import { offsetParam } from "@/lib/api/params.ts";

export const InspectQuery = z.object({ at: offsetParam("at") });
