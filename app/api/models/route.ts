/** GET /api/models: every corpus and model, with its size and test loss. */
import { connection } from "next/server";
import { respond } from "@/lib/api/errors.ts";
import { listCorpora, listModels } from "@/lib/cells/list-models.ts";

export async function GET() {
  await connection();
  return respond(async () => {
    const [corpora, models] = await Promise.all([listCorpora(), listModels()]);
    return { corpora, models };
  });
}
