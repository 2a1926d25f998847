/** Body of PUT /api/models/[model]/units/[unit]/label. */
export { LabelInput } from "@/lib/cells/set-label.ts";
