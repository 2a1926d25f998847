/** Query of GET /embed/models/[model]/cells/[unit]: the stretch, the colors, and what to send. */
import { z } from "zod";
import { MAX_EMBED_CHARS } from "@/lib/api/limits.ts";
import { offsetParam } from "@/lib/api/params.ts";
import { SCALES } from "@/lib/ui/color.ts";

export const EmbedQuery = z
  .object({
    from: offsetParam("from").default(0),
    to: offsetParam("to").optional(),
    scale: z.enum(SCALES, { message: `scale must be one of ${SCALES.join(", ")}` }).default("rb"),
    format: z.enum(["html", "svg"], { message: "format must be html or svg" }).default("html"),
    /** Send it as a file to save ("Download") instead of a page to show. */
    download: z.enum(["1"], { message: "download must be 1" }).optional(),
  })
  .refine((q) => q.to === undefined || q.to > q.from, { message: "to must be greater than from", path: ["to"] })
  .refine((q) => q.to === undefined || q.to - q.from <= MAX_EMBED_CHARS, { message: `an embed shows at most ${MAX_EMBED_CHARS.toLocaleString("en")} characters`, path: ["to"] });
