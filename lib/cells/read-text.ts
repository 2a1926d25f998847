/**
 * A model's recorded text, whole (GET /api/models/[model]/text): the cell
 * page's text view lays it out once per recording and then fetches only the
 * unit's values for the rows on screen.
 */
import { getModelContext, recordingText } from "./model-context.ts";
import { NotFoundError } from "../store/recordings.ts";

export interface RecordingTextBody {
  model: string;
  /** The recording's id: the text of a recording never changes, so a client may cache it under this id. */
  recording: number;
  /** Characters (code points) in the text. */
  chars: number;
  text: string;
}

/** The text of the recording the model is shown with; `recording`, when given, must be that recording (404 otherwise: the model was recorded again). */
export async function readText(modelId: string, recording?: number): Promise<RecordingTextBody> {
  const { rec } = await getModelContext(modelId);
  if (recording !== undefined && recording !== rec.id) {
    throw new NotFoundError(`recording ${recording} is not the one model "${modelId}" is shown with (${rec.id}); reload the page`);
  }
  const t = await recordingText(rec.id);
  return { model: modelId, recording: rec.id, chars: t.chars.length, text: t.text };
}
