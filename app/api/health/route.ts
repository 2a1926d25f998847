/** GET /api/health: is the server up, and can it read the store? 503 with the error shape (and ok: false) when not. */
import { prisma } from "@/lib/db.ts";
import { describeError } from "@/lib/api/errors.ts";

export async function GET() {
  try {
    const [corpora, models] = await Promise.all([prisma.corpus.count(), prisma.model.count()]);
    return Response.json({ ok: true, corpora, models }, { headers: { "cache-control": "no-store" } });
  } catch (err) {
    // A store problem says what fixes it ("run `npx cellscope setup`"); anything else is logged.
    const { code, message } = describeError(err);
    return Response.json({ ok: false, error: { code, message } }, { status: 503, headers: { "cache-control": "no-store" } });
  }
}
