/**
 * The cell page's text laid out in rows of a monospace grid, so that the text
 * view can render only the rows on screen (all rows have one height) and still
 * know where every character of a 300k-character recording sits: row r shows
 * characters [starts[r], starts[r + 1]).
 *
 * Lines wrap at the last space or tab that fits (or mid-word when a word is
 * wider than the row); a newline ends its row (shown as ↵, which may hang one
 * column past the edge, as may a space that exactly fills a row); a tab
 * advances to the next multiple of `tabSize` columns from the row's start, as
 * CSS `white-space: pre` with that `tab-size` draws it. Every other character
 * is one column wide.
 */

/** Row start offsets for `chars` (code points) in rows of `cols` columns (at least one tab wide). */
export function layoutRows(chars: readonly string[], cols: number, tabSize = 8): Int32Array {
  const width = Math.max(tabSize, Math.floor(cols));
  let starts = new Int32Array(Math.max(16, (chars.length >> 5) + 16));
  let rows = 1; // starts[0] = 0
  const push = (at: number) => {
    if (rows === starts.length) {
      const grown = new Int32Array(starts.length * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[rows++] = at;
  };
  const advance = (c: string, col: number) => (c === "\t" ? tabSize - (col % tabSize) : 1);
  let rowStart = 0;
  let col = 0;
  /** Where the row would wrap to keep words whole: just after its last space or tab (−1: none). */
  let wrapAt = -1;
  const n = chars.length;
  for (let i = 0; i < n; i++) {
    const c = chars[i];
    if (c === "\n") {
      if (i + 1 < n) push(i + 1);
      rowStart = i + 1;
      col = 0;
      wrapAt = -1;
      continue;
    }
    let w = advance(c, col);
    if (col + w > width) {
      if (c === " " && col === width) {
        // A space that exactly fills the row hangs past its edge; the next row starts after it.
        if (i + 1 < n && chars[i + 1] !== "\n") {
          push(i + 1);
          rowStart = i + 1;
          col = 0;
          wrapAt = -1;
        } else col += 1;
        continue;
      }
      const at = wrapAt > rowStart ? wrapAt : i;
      push(at);
      rowStart = at;
      wrapAt = -1;
      col = 0;
      for (let k = at; k < i; k++) col += advance(chars[k], col);
      w = advance(c, col);
      if (col + w > width && i > rowStart) {
        // The carried-over word and this character still do not fit: break before it.
        push(i);
        rowStart = i;
        col = 0;
        w = advance(c, 0);
      }
    }
    col += w;
    if (c === " " || c === "\t") wrapAt = i + 1;
  }
  return starts.slice(0, rows);
}

/** The row holding character `offset` (the last row whose start is ≤ offset). */
export function rowOf(starts: Int32Array, offset: number): number {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
