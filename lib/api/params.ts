/** Pieces of the API's zod schemas shared by several routes (each route's own schema sits beside it). */
import { z } from "zod";
import { ForbiddenError } from "./errors.ts";
import { decodeUnitParam } from "../ui/urls.ts";

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

/** Route segments: the model id and the unit id (colons may be percent-encoded). */
export const ModelParams = z.object({ model: z.string().transform((s) => decodeUnitParam(s)) });
export const UnitParams = z.object({ model: z.string().transform((s) => decodeUnitParam(s)), unit: z.string().transform((s) => decodeUnitParam(s)) });

/** A URL's query as a plain object (first value of each key). */
export function queryOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URL(req.url).searchParams) if (!(k in out)) out[k] = v;
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
