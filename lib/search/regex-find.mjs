// @ts-check
/**
 * The match loop shared by lib/search/regex.ts (on the calling thread) and
 * regex-worker.mjs (off it, with a time limit). Plain JavaScript so the worker
 * runs in Node without a TypeScript loader.
 */

/**
 * [start, end) UTF-16 offsets of every non-empty match, left to right, as one
 * flat array: [s0, e0, s1, e1, …]. Empty matches (`^`, `x*`) mark no character.
 * @param {import("re2js").RE2JS} re
 * @param {string} text
 * @returns {Int32Array}
 */
export function findMatchOffsets(re, text) {
  let out = new Int32Array(256);
  let n = 0;
  const m = re.matcher(text);
  let from = 0;
  while (from <= text.length && m.find(from)) {
    const s = m.start();
    const e = m.end();
    if (e > s) {
      if (n + 2 > out.length) {
        const grown = new Int32Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out[n++] = s;
      out[n++] = e;
    }
    from = e > s ? e : e + 1;
  }
  return out.slice(0, n);
}
