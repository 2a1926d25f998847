/**
 * Reading a write request's JSON body, refusing what a route should never
 * parse: another content type (415: a cross-site HTML form can only send
 * form or text types, so this also keeps forms from other sites out), a body
 * over MAX_BODY_BYTES (413, checked while reading, whatever Content-Length
 * claims), bytes that are not UTF-8, and text that is not JSON (400).
 * The route's zod schema then checks the parsed value.
 */
import { InputError } from "./errors.ts";
import { MAX_BODY_BYTES } from "./limits.ts";

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/** The parsed JSON body; `example` shows the expected body in error messages. */
export async function readJsonBody(req: Request, { example, maxBytes = MAX_BODY_BYTES }: { example: string; maxBytes?: number }): Promise<unknown> {
  const type = req.headers.get("content-type")?.trim() ?? "";
  if (!JSON_TYPE.test(type)) {
    throw new InputError(`send the body as JSON with "Content-Type: application/json" (got ${type ? JSON.stringify(type.slice(0, 60)) : "no Content-Type"}), e.g. ${example}`, "unsupported_media_type", 415);
  }
  const tooLarge = () => new InputError(`the body is larger than ${maxBytes} bytes, the limit for this request`, "body_too_large", 413);
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > maxBytes) throw tooLarge();

  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`the body is not UTF-8 text: send JSON, e.g. ${example}`, "bad_body");
  }
  if (!text.trim()) throw new InputError(`the body is empty: send JSON, e.g. ${example}`, "bad_body");
  try {
    return JSON.parse(text);
  } catch (e) {
    // V8's message says where it broke ("Unexpected token } in JSON at position 12"); it holds no internals.
    const why = String((e as Error).message).split("\n")[0].slice(0, 120);
    throw new InputError(`the body is not valid JSON (${why}): send e.g. ${example}`, "bad_body");
  }
}
