/**
 * One error shape for the whole JSON API:
 *
 *   { "error": { "code": "not_found", "message": "unknown model \"x\"" } }
 *
 * with 400 for bad input, 403 for refused writes, 404 for unknown models,
 * units or offsets past the end, 413/414/415 for a body too large, a query
 * string too long or a body that is not JSON (limits in ./limits.ts), and 500
 * for anything else (whose message is generic: stacks and internals stay in
 * the server log).
 *
 * The data modules (lib/cells, lib/inspect) throw InputError or
 * NotFoundError (defined here, thrown by the store too) with user-facing messages; pages show those
 * messages, route handlers turn them into responses here.
 */
import { ZodError } from "zod";
import { StoreError, toStoreError } from "../store/store-error.ts";

export { StoreError };

/** Bad input from the user (HTTP 400, or 413–415 for a request over a limit); the message says what to change. */
/** Something the request names does not exist (404): a model, a unit, an offset past the end. */
export class NotFoundError extends Error {
  override name = "NotFoundError";
}

export class InputError extends Error {
  override name = "InputError";
  constructor(
    message: string,
    readonly code: string = "bad_request",
    readonly status: 400 | 413 | 414 | 415 = 400,
  ) {
    super(message);
  }
}

/** A refused write (HTTP 403): read-only mode, or a request from another origin. */
export class ForbiddenError extends Error {
  override name = "ForbiddenError";
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** "start: must be …" from the first issue of a zod error. */
export function zodMessage(err: ZodError): string {
  const issue = err.issues[0];
  if (!issue) return "invalid input";
  const path = issue.path.join(".");
  const where = path && !issue.message.startsWith(path) ? `${path}: ` : "";
  return `${where}${issue.message}`;
}

/**
 * The error code of a zod error: "bad_request", or the code a schema gave its
 * custom issue (`ctx.addIssue({ code: "custom", message, params: { code: "bad_unit" } })`).
 */
export function zodCode(err: ZodError): string {
  const issue = err.issues[0];
  const code = issue?.code === "custom" ? (issue.params as { code?: unknown } | undefined)?.code : undefined;
  return typeof code === "string" ? code : "bad_request";
}

/** Status, code and message for any thrown value. Unknown errors are logged and reported generically. */
export function describeError(err: unknown): { status: number; code: string; message: string } {
  if (err instanceof InputError) return { status: err.status, code: err.code, message: err.message };
  if (err instanceof ZodError) return { status: 400, code: zodCode(err), message: zodMessage(err) };
  if (err instanceof NotFoundError) return { status: 404, code: "not_found", message: err.message };
  if (err instanceof ForbiddenError) return { status: 403, code: "forbidden", message: err.message };
  // The store missing, not set up, corrupt or locked: 503, with what fixes it.
  const store = toStoreError(err);
  if (store) return { status: 503, code: store.apiCode, message: store.message };
  console.error(err);
  return { status: 500, code: "internal", message: "internal error: the server could not answer this request (see its log)" };
}

export function errorResponse(err: unknown): Response {
  const { status, code, message } = describeError(err);
  const body: ApiErrorBody = { error: { code, message } };
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}

/** Runs a route handler's body, answering JSON on success and the error shape on failure. */
export async function respond<T>(fn: () => Promise<T> | T, init?: ResponseInit): Promise<Response> {
  try {
    const data = await fn();
    return Response.json(data, { ...init, headers: { "cache-control": "no-store", ...init?.headers } });
  } catch (err) {
    return errorResponse(err);
  }
}
