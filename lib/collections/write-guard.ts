/**
 * Collections are writes like labels: refused in read-only mode
 * (CELLSCOPE_READ_ONLY=1, 403) by the data layer itself, and by the routes
 * before they read a body, which must also come from this site (bodies are
 * read with lib/api/body.ts, as the label route does).
 */
import { ForbiddenError } from "../api/errors.ts";
import { checkSameOrigin } from "../api/params.ts";
import { isReadOnly } from "../cells/set-label.ts";

export function assertWritable(): void {
  if (isReadOnly()) throw new ForbiddenError("this Cellscope is read-only (CELLSCOPE_READ_ONLY is set): collections cannot be changed");
}

/** For write route handlers: read-only mode and other origins are refused (403). */
export function guardWrite(req: Request): void {
  assertWritable();
  checkSameOrigin(req);
}
