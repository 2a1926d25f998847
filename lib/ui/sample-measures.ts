/**
 * What changed in sampled text when units were held (the sample page's side
 * by side): measures a reader can check by eye, per 1,000 characters where a
 * count depends on length.
 */
export interface TextMeasures {
  chars: number;
  /** Quote marks (") per 1,000 characters. */
  quotesPer1000: number;
  /** Share of characters inside double quotes (between an opening and its closing "). */
  insideQuotes: number;
  newlinesPer1000: number;
  /** Opening minus closing braces, { and } (0: balanced). */
  braceBalance: number;
}

export function measureText(text: string): TextMeasures {
  const chars = Array.from(text);
  let quotes = 0, inside = 0, open = false, newlines = 0, braces = 0;
  for (const c of chars) {
    if (c === '"') {
      quotes++;
      open = !open;
    } else if (open) inside++;
    if (c === "\n") newlines++;
    if (c === "{") braces++;
    else if (c === "}") braces--;
  }
  const n = chars.length;
  const per1000 = (k: number) => (n ? (k * 1000) / n : 0);
  return { chars: n, quotesPer1000: per1000(quotes), insideQuotes: n ? inside / n : 0, newlinesPer1000: per1000(newlines), braceBalance: braces };
}
