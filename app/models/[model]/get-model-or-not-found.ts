/** A model page's store context, or Next's not-found page for an unknown or malformed model id. */
import { notFound } from "next/navigation";
import { InputError, NotFoundError } from "@/lib/api/errors.ts";
import { getModelContext, type ModelContext } from "@/lib/cells/model-context.ts";

export async function getModelOrNotFound(id: string): Promise<ModelContext> {
  try {
    return await getModelContext(id);
  } catch (e) {
    if (e instanceof NotFoundError || e instanceof InputError) notFound();
    throw e;
  }
}
