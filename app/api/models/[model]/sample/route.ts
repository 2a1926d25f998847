/**
 * GET /api/models/[model]/sample?unit=h:1:5[&length=400][&temperature=0.8][&prime=The ][&seed=1][&clamp=c:1:40=-1,…]
 * Streams newline-delimited JSON, one line per character: {"c":"a","v":0.123}
 * (the unit's value after reading it; prime characters carry "p":1).
 * Errors before the first character use the API's error shape; every bad
 * parameter is reported at once, in one message (lib/sample, checkSampleRequest).
 */
import { errorResponse } from "@/lib/api/errors.ts";
import { ModelParams, queryOf } from "@/lib/api/params.ts";
import { checkSampleRequest, sampleCell } from "@/lib/sample/sample-cell.ts";
import { decodeUnitParam } from "@/lib/ui/urls.ts";

export async function GET(req: Request, { params }: { params: Promise<{ model: string }> }) {
  let gen: AsyncGenerator<{ c: string; v: number; p?: 1 }>;
  try {
    const { model } = ModelParams.parse(await params);
    const raw = queryOf(req);
    // The query's schema is SampleQuery (./schema.ts), applied by checkSampleRequest with the checks that need the model.
    const opts = await checkSampleRequest(model, { ...raw, unit: decodeUnitParam(raw.unit ?? "") });
    gen = await sampleCell(model, opts);
  } catch (err) {
    return errorResponse(err);
  }
  const enc = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // A few characters per pull: the response flows while other requests still get served.
      let lines = "";
      for (let i = 0; i < 8; i++) {
        let r: IteratorResult<{ c: string; v: number; p?: 1 }>;
        try {
          r = await gen.next();
        } catch (err) {
          console.error(err);
          controller.error(new Error("sampling failed"));
          return;
        }
        if (r.done) {
          if (lines) controller.enqueue(enc.encode(lines));
          controller.close();
          return;
        }
        lines += JSON.stringify(r.value) + "\n";
      }
      controller.enqueue(enc.encode(lines));
      await new Promise((resolve) => setImmediate(resolve));
    },
    async cancel() {
      await gen.return(undefined);
    },
  });
  return new Response(stream, { headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no" } });
}
