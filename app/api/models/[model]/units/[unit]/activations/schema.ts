/** Query of GET /api/models/[model]/units/[unit]/activations. */
import { z } from "zod";
import { offsetParam } from "@/lib/api/params.ts";

export const ActivationsQuery = z.object({
  /** First character (recording offset), default 0. */
  start: offsetParam("start").default(0),
  /** One past the last character; default start + 4000, at most start + 20000; clipped to the recording's end. */
  end: offsetParam("end").optional(),
  /** surprise=1 adds the model's loss on each character. */
  surprise: z.enum(["0", "1", "true", "false"], { message: "surprise must be 1 or 0" }).optional().transform((v) => v === "1" || v === "true"),
  /** json (default) or csv: offset,char,value[,surprise] with a header row, the characters quoted as RFC 4180 says. */
  format: z.enum(["json", "csv"], { message: "format must be json or csv" }).default("json"),
});
