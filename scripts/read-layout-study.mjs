#!/usr/bin/env node
// P10 §5: does another layout read a recording's bytes faster than the store's?
// Copies one recording's activation chunks (default: the longest in the store)
// into SQLite files with 4 KB pages (the store's) and 64 KB pages (a 32 KB chunk
// then fits a page, no overflow chain) and into a flat file (unit-major), then
// reads each whole, warm, three times, and prints one JSON line with the medians.
//   node scripts/read-layout-study.mjs [store.db] [recordingId]
import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const file = process.argv[2] ?? process.env.CELLSCOPE_DB ?? "data/cellscope.db";
const src = new Database(file, { readonly: true });
const rec = Number(process.argv[3] ?? src.prepare(`SELECT id FROM Recording WHERE status = 'complete' ORDER BY chars DESC LIMIT 1`).get().id);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cellscope-layout-"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (f) => {
  const t = performance.now();
  const bytes = f();
  return { ms: performance.now() - t, bytes };
};
const readSql = (db, table) => () => {
  let n = 0;
  for (const r of db.prepare(`SELECT data FROM ${table} WHERE recordingId = ? ORDER BY unit, chunk`).iterate(rec)) n += r.data.length;
  return n;
};
try {
  const result = { recording: rec, loadBefore: +os.loadavg()[0].toFixed(2), layouts: {} };
  result.layouts.store = { fileMB: +(fs.statSync(file).size / 2 ** 20).toFixed(0), readMs: median([0, 1, 2].map(() => time(readSql(src, "ActivationChunk")).ms)) };
  for (const pageSize of [4096, 65536]) {
    const f = path.join(dir, `p${pageSize}.db`);
    const d = new Database(f);
    d.pragma(`page_size = ${pageSize}`);
    d.exec(`CREATE TABLE A (recordingId INTEGER NOT NULL, unit TEXT NOT NULL, chunk INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (recordingId, unit, chunk))`);
    const ins = d.prepare(`INSERT INTO A VALUES (?, ?, ?, ?)`);
    d.transaction(() => {
      for (const r of src.prepare(`SELECT * FROM ActivationChunk WHERE recordingId = ? ORDER BY unit, chunk`).iterate(rec)) ins.run(r.recordingId, r.unit, r.chunk, r.data);
    })();
    result.layouts[`sqlite${pageSize / 1024}k`] = { fileMB: +(fs.statSync(f).size / 2 ** 20).toFixed(0), readMs: median([0, 1, 2].map(() => time(readSql(d, "A")).ms)) };
    d.close();
  }
  const flat = path.join(dir, "flat.bin");
  const fd = fs.openSync(flat, "w");
  for (const r of src.prepare(`SELECT data FROM ActivationChunk WHERE recordingId = ? ORDER BY unit, chunk`).iterate(rec)) fs.writeSync(fd, r.data);
  fs.closeSync(fd);
  const buf = Buffer.allocUnsafe(64 << 20);
  const readFlat = () => {
    const h = fs.openSync(flat, "r");
    let n = 0, got;
    while ((got = fs.readSync(h, buf, 0, buf.length, null)) > 0) n += got;
    fs.closeSync(h);
    return n;
  };
  result.layouts.flatFile = { fileMB: +(fs.statSync(flat).size / 2 ** 20).toFixed(0), readMs: median([0, 1, 2].map(() => time(readFlat).ms)) };
  for (const l of Object.values(result.layouts)) l.readMs = Math.round(l.readMs);
  result.loadAfter = +os.loadavg()[0].toFixed(2);
  console.log(JSON.stringify(result));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
