/**
 * Models in models/ (or $CELLSCOPE_MODELS) the store has not recorded yet:
 * one trained or imported while the server ran, or one whose recording
 * failed. The home page lists them with the command that records them.
 */
import path from "node:path";
import { listModelDirs, readModelJson } from "../model/model-file.ts";

export interface UnrecordedModel {
  /** The folder's name, as `cellscope record --model` takes it. */
  folder: string;
  /** From its model.json, or null with `problem` when that cannot be read. */
  id: string | null;
  summary: string | null;
  problem?: string;
}

export function listUnrecordedModels(recorded: ReadonlySet<string>): UnrecordedModel[] {
  const out: UnrecordedModel[] = [];
  for (const dir of listModelDirs()) {
    const folder = path.basename(dir);
    try {
      const { meta } = readModelJson(dir);
      if (recorded.has(meta.id)) continue;
      const c = meta.config;
      out.push({ folder, id: meta.id, summary: `${c.layers}×${c.hidden} ${c.cell}, ${meta.corpus.name}` });
    } catch (e) {
      out.push({ folder, id: null, summary: null, problem: (e as Error).message });
    }
  }
  return out;
}
