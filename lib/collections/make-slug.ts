/** URL names for collections: "The famous five!" → "the-famous-five" (then -2, -3 … when taken). */

const MAX_BASE = 60;

/** Lower-case ASCII letters and digits joined by single dashes; "collection" when nothing is left. */
export function slugify(title: string): string {
  const base = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents off: "é" → "e"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, MAX_BASE)
    .replace(/^-+|-+$/g, "");
  return base || "collection";
}

/** The first of base, base-2, base-3 … that `taken` does not hold. */
export function firstFreeSlug(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}
