/**
 * GET /api/labels?q=TEXT&model=M&limit=N: labelled units whose label or note
 * contains TEXT (any case), label matches first; every label when q is empty.
 * Each comes with a colored preview around its strongest activation (&previews=0 leaves them out).
 */
import { respond } from "@/lib/api/errors.ts";
import { queryOf } from "@/lib/api/params.ts";
import { findLabels } from "@/lib/cells/find-labels.ts";
import { LabelQuery } from "./schema.ts";

export async function GET(req: Request) {
  return respond(async () => {
    const { q, model, limit, previews } = LabelQuery.parse(queryOf(req));
    return findLabels(q, { model, limit, previews: previews === "1" });
  });
}
