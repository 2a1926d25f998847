/**
 * A model id: letters, digits, ".", "_" and "-", starting with a letter or
 * digit. No "/" and no leading dot, so an id can never name a path outside
 * models/, and it reaches SQLite only as a bound parameter. (The model layer
 * owns it: `train` names models with it, the API checks requests against it.)
 */
import { MAX_MODEL_ID_CHARS } from "../api/limits.ts";

export const MODEL_ID_PATTERN = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${MAX_MODEL_ID_CHARS - 1}}$`);
