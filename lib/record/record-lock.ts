/**
 * One recording run per model and store at a time. Two `cellscope record`
 * runs (or two set-ups) of the same model would both create or resume the
 * same Recording row and write its chunks twice; the second one is refused
 * with a message saying who holds the lock.
 *
 * The lock is SQLite's own exclusive lock on a small side file (next to the
 * store, in STORE.locks/), held by an open transaction: the operating system
 * drops it when the process ends, `kill -9` included, so a crashed run never
 * leaves a stale lock behind. The holder's pid is written beside it for the
 * message only.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export class RecordingLockedError extends Error {
  override name = "RecordingLockedError";
}

/** The folder of the lock files of a store. */
export function lockDir(store: string): string {
  return `${store}.locks`;
}

/**
 * Takes the lock on recording `modelId` into `store`, or throws
 * RecordingLockedError at once if another process holds it. Returns the
 * function that releases it (ending the process releases it too).
 */
export function lockRecording(store: string, modelId: string): () => void {
  const dir = lockDir(store);
  fs.mkdirSync(dir, { recursive: true });
  const name = `record-${modelId.replace(/[^A-Za-z0-9._-]/g, "_")}`;
  const file = path.join(dir, `${name}.lock`);
  const pidFile = path.join(dir, `${name}.pid`);
  const db = new Database(file, { timeout: 0 });
  try {
    db.exec("BEGIN EXCLUSIVE");
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code?.startsWith("SQLITE_BUSY")) {
      let who = "another process";
      try {
        who = `process ${Number(fs.readFileSync(pidFile, "utf8"))}`;
      } catch {
        /* written just after the lock is taken: may not be there yet */
      }
      throw new RecordingLockedError(
        `${modelId} is already being recorded into ${store} by ${who}: wait for it to finish (this command then finds the recording done), or stop it and run this again to continue it`,
      );
    }
    throw err;
  }
  fs.writeFileSync(pidFile, String(process.pid));
  return () => {
    if (!db.open) return;
    fs.rmSync(pidFile, { force: true });
    db.exec("ROLLBACK");
    db.close();
  };
}
