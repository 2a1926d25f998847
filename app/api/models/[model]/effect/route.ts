/**
 * GET /api/models/[model]/effect?q=REGEX[&mode=inside|start|end|after] or ?signal=NAME
 *     [&from=N][&to=N][&value=zero|mean][&exact=K][&limit=N][&stream=1]
 * Every unit ranked by how much more loss the marked characters get when it is knocked out
 * (lib/cells/rank-by-effect.ts). It takes up to a minute on a 2×256 model, so `stream=1`
 * answers NDJSON: `{"progress":{"done","total","phase"}}` lines, then `{"result":…}` or
 * `{"error":{"code","message"}}`. A query that fails before the work starts gets the API's
 * error response either way.
 */
import { describeError, errorResponse, respond } from "@/lib/api/errors.ts";
import { ModelParams, searchParamsOf } from "@/lib/api/params.ts";
import { rankByEffect, type EffectQuery } from "@/lib/cells/rank-by-effect.ts";
import { parseEffectParams } from "./schema.ts";

export async function GET(req: Request, { params }: { params: Promise<{ model: string }> }) {
  const sp = searchParamsOf(req);
  if (sp.get("stream") !== "1") {
    return respond(async () => rankByEffect(ModelParams.parse(await params).model, parseEffectParams(sp)));
  }
  try {
    return await streamRanking(ModelParams.parse(await params).model, parseEffectParams(sp));
  } catch (err) {
    return errorResponse(err);
  }
}

/** The ranking as NDJSON, opened at its first progress (or its result); an error before that is a plain error response. */
function streamRanking(model: string, query: EffectQuery): Promise<Response> {
  return new Promise((resolve) => {
    const enc = new TextEncoder();
    let out: ReadableStreamDefaultController<Uint8Array> | null = null;
    const open = () => {
      if (out) return;
      const stream = new ReadableStream<Uint8Array>({ start: (c) => void (out = c) });
      resolve(new Response(stream, { headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" } }));
    };
    // A reader that left (closed the page) cancels the stream: the ranking goes on and is cached.
    const write = (x: unknown) => {
      open();
      try {
        out!.enqueue(enc.encode(JSON.stringify(x) + "\n"));
      } catch {}
    };
    const close = () => {
      try {
        out!.close();
      } catch {}
    };
    rankByEffect(model, query, (done, total, phase) => write({ progress: { done, total, phase } }))
      .then((result) => {
        write({ result });
        close();
      })
      .catch((err) => {
        if (!out) return resolve(errorResponse(err));
        const { code, message } = describeError(err);
        write({ error: { code, message } });
        close();
      });
  });
}
