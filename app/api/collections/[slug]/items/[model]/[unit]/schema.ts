/** Route segments and body of PUT/DELETE /api/collections/[slug]/items/[model]/[unit]. */
import { SlugParams } from "@/lib/collections/inputs.ts";
import { UnitParams } from "@/lib/api/params.ts";
export { NoteInput } from "@/lib/collections/inputs.ts";

export const ItemParams = SlugParams.extend(UnitParams.shape);
