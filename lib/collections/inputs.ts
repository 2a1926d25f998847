/**
 * What a collection and its items may hold: the zod schemas shared by the
 * data layer and the API (each route's schema.ts re-exports the one it reads).
 */
import { z } from "zod";

export const TITLE_MAX = 120;
export const DESCRIPTION_MAX = 2000;
export const NOTE_MAX = 2000;
/** Units one request may put in a new collection. */
export const ITEMS_MAX = 100;

// Markup is kept as typed (pages render it as text); control characters are
// refused: they cannot be typed and only garble pages. Titles are one line.
const ONE_LINE = /^[^\p{Cc}]*$/u;
const LINES = /^(?:[^\p{Cc}]|[\n\r\t])*$/u;
const title = z
  .string({ message: "title must be a string" })
  .trim()
  .min(1, "the title is empty")
  .max(TITLE_MAX, `the title is longer than ${TITLE_MAX} characters`)
  .regex(ONE_LINE, "the title must be one line of text (no control characters)");
const description = z
  .string({ message: "description must be a string" })
  .trim()
  .max(DESCRIPTION_MAX, `the description is longer than ${DESCRIPTION_MAX} characters`)
  .regex(LINES, "the description may not contain control characters other than line breaks and tabs");
const note = z
  .string({ message: "note must be a string" })
  .trim()
  .max(NOTE_MAX, `the note is longer than ${NOTE_MAX} characters`)
  .regex(LINES, "the note may not contain control characters other than line breaks and tabs");

/** A unit to put in a collection: which model, which unit, and why. */
export const ItemInput = z.object({
  model: z.string({ message: "model is required" }).trim().min(1, "model is required"),
  unit: z.string({ message: "unit is required" }).trim().min(1, "unit is required"),
  note: note.default(""),
});
export type ItemInput = z.infer<typeof ItemInput>;

/** A new collection, optionally with its first units. */
export const CollectionInput = z.object({
  title,
  description: description.default(""),
  items: z.array(ItemInput).max(ITEMS_MAX, `at most ${ITEMS_MAX} units at once`).default([]),
});
export type CollectionInput = z.input<typeof CollectionInput>;

/** A change of title and/or description (the slug stays, so shared links keep working). */
export const CollectionPatch = z
  .object({ title: title.optional(), description: description.optional() })
  .refine((p) => p.title !== undefined || p.description !== undefined, "give a title or a description to change");
export type CollectionPatch = z.infer<typeof CollectionPatch>;

/** The note on a unit already named by the URL. */
export const NoteInput = z.object({ note: note.default("") });
export type NoteInput = z.infer<typeof NoteInput>;

/** A collection's slug as it appears in a URL ("the-famous-five"). */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SlugParams = z.object({
  slug: z.string().regex(SLUG_PATTERN, "a collection's name in the URL is lower-case letters, digits and dashes, e.g. the-famous-five").max(80, "that collection name is too long"),
});
