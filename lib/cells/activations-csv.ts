/** A unit's values as CSV (RFC 4180): offset,char,value[,surprise], one row per character. */
import type { Activations } from "./read-activations.ts";

const field = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function activationsCsv(a: Activations): string {
  const chars = Array.from(a.text);
  const rows = [a.surprise ? "offset,char,value,surprise" : "offset,char,value"];
  chars.forEach((c, i) => {
    const row = `${a.start + i},${field(c)},${a.values[i]}`;
    rows.push(a.surprise ? `${row},${a.surprise[i] ?? ""}` : row);
  });
  return rows.join("\r\n") + "\r\n";
}
