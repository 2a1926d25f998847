/** GET /api/health: is the server up, and can it read the database? */
import { prisma } from "@/lib/db.ts";

export async function GET() {
  try {
    const [corpora, models] = await Promise.all([prisma.corpus.count(), prisma.model.count()]);
    return Response.json({ ok: true, corpora, models });
  } catch (err) {
    // Prisma's messages start with the failed call; the last line says what went wrong
    // (e.g. "The table `main.Corpus` does not exist": run `prisma migrate deploy`).
    const lines = String((err as Error)?.message ?? err).split("\n").map((l) => l.trim()).filter(Boolean);
    return Response.json({ ok: false, error: lines.at(-1) ?? "database error" }, { status: 503 });
  }
}
