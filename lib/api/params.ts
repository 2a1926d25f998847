/** Pieces of the API's zod schemas shared by several routes (each route's own schema sits beside it). */
import { z } from "zod";
import { ForbiddenError, InputError } from "./errors.ts";
import { MAX_MODEL_ID_CHARS, MAX_QUERY_CHARS } from "./limits.ts";
import { decodeUnitParam } from "../ui/urls.ts";
import { KIND_LIST, UNIT_ID_PATTERN } from "../model/unit-kinds.ts";
import { MODEL_ID_PATTERN } from "../model/model-id.ts";

/** A readable excerpt of a bad value for an error message. */
function quoted(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/** The model id in a route's path (percent-decoded); "bad_model" (400) when it is not one. */
export const modelIdParam = z
  .string()
  .transform((s) => decodeUnitParam(s))
  .superRefine((id, ctx) => {
    if (!MODEL_ID_PATTERN.test(id)) {
      ctx.addIssue({ code: "custom", message: `${quoted(id)} is not a model id (letters, digits, ".", "_" and "-", at most ${MAX_MODEL_ID_CHARS} characters)`, params: { code: "bad_model" } });
    }
  });

/** The unit id in a route's path (colons may be percent-encoded); "bad_unit" (400) when it is not one. */
export const unitIdParam = z
  .string()
  .transform((s) => decodeUnitParam(s))
  .superRefine((unit, ctx) => {
    if (!UNIT_ID_PATTERN.test(unit)) {
      ctx.addIssue({ code: "custom", message: `${quoted(unit)} is not a unit id: write KIND:LAYER:INDEX, e.g. c:1:83 (kinds ${KIND_LIST})`, params: { code: "bad_unit" } });
    }
  });

/** A character offset in a query string: a whole number ≥ 0 (a NotFoundError later if past the end). */
export function offsetParam(name: string) {
  return z
    .string({ message: `${name} is required` })
    .trim()
    .regex(/^-?\d+$/, `${name} must be a whole number of characters`)
    .transform(Number)
    .refine((n) => n >= 0, `${name} cannot be negative`)
    .refine((n) => Number.isSafeInteger(n), `${name} is too large`);
}

/** Route segments: the model id and the unit id, checked before any lookup. */
export const ModelParams = z.object({ model: modelIdParam });
export const UnitParams = z.object({ model: modelIdParam, unit: unitIdParam });

/** A request's query parameters; 414 when the query string is over MAX_QUERY_CHARS. */
export function searchParamsOf(req: Request): URLSearchParams {
  const url = new URL(req.url);
  const length = url.search.length - 1;
  if (length > MAX_QUERY_CHARS) {
    throw new InputError(`the query string is ${length} characters long; the limit is ${MAX_QUERY_CHARS}`, "query_too_long", 414);
  }
  return url.searchParams;
}

/** A URL's query as a plain object (first value of each key); 414 when it is too long. */
export function queryOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of searchParamsOf(req)) if (!(k in out)) out[k] = v;
  return out;
}

/**
 * Refuses writes from other sites: a browser sends Origin (and
 * Sec-Fetch-Site) with every POST, PUT and DELETE; they must name this host.
 */
export function checkSameOrigin(req: Request): void {
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw new ForbiddenError(`cross-site write refused (Sec-Fetch-Site: ${site})`);
  const origin = req.headers.get("origin");
  if (!origin) return; // not a browser (curl, scripts): allowed
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new ForbiddenError(`write refused: malformed Origin header`);
  }
  if (!host || originHost !== host) throw new ForbiddenError(`write refused: the request comes from ${origin}, not from this server`);
}
