/**
 * The cell page's unit, read once per request (the layout, the metadata and the
 * page all ask): the cell, or what is wrong with the URL in the store's own
 * words (lib/store/recordings.ts checkUnit: "layer 9 does not exist (the model
 * has 2 layers, 0 to 1)"), which the segment's not-found page shows.
 */
import { cache } from "react";
import { InputError, NotFoundError } from "@/lib/api/errors.ts";
import { getCell, type CellDetail } from "@/lib/cells/get-cell.ts";

export const loadCell = cache(async (model: string, unit: string): Promise<{ cell: CellDetail; problem?: undefined } | { cell?: undefined; problem: string }> => {
  try {
    return { cell: await getCell(model, unit) };
  } catch (e) {
    if (e instanceof NotFoundError || e instanceof InputError) return { problem: e.message };
    throw e;
  }
});
