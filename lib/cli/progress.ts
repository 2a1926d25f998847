/**
 * A one-line progress bar for long CLI jobs: bar, count, rate and ETA.
 * On a terminal it redraws in place; in logs (not a TTY) it prints a line every
 * 10 seconds instead of flooding them.
 */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return "?";
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return n >= 10 || Number.isInteger(n) ? String(Math.round(n)) : n.toFixed(2);
}

export class ProgressBar {
  private readonly started = performance.now();
  private lastPrint = 0;
  private readonly tty: boolean;
  private lastLine = "";

  constructor(
    readonly total: number,
    private readonly label: string,
    private readonly unit = "it",
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(out.isTTY) && !process.env.CI;
  }

  /**
   * @param done units done so far (this run)
   * @param rate units per second; measured from the start when omitted
   * @param fields extra `key value` pairs to show (loss, epoch, …)
   */
  update(done: number, fields: Record<string, string> = {}, rate?: number, offset = 0): void {
    const elapsed = (performance.now() - this.started) / 1000;
    const r = rate ?? (elapsed > 0 ? (done - offset) / elapsed : 0);
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 0;
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    const eta = r > 0 ? (this.total - done) / r : NaN;
    const extra = Object.entries(fields).map(([k, v]) => `${k} ${v}`).join("  ");
    const line = `${this.label} ${bar} ${(frac * 100).toFixed(1).padStart(5)}%  ${formatCount(done)}/${formatCount(this.total)} ${this.unit}  ${formatCount(r)} ${this.unit}/s  ETA ${formatDuration(eta)}${extra ? "  " + extra : ""}`;
    this.lastLine = line;
    const now = performance.now();
    if (this.tty) {
      if (now - this.lastPrint < 100 && done < this.total) return;
      this.out.write(`\r\x1b[2K${line}`);
    } else {
      if (now - this.lastPrint < 10_000 && done < this.total) return;
      this.out.write(`${line}\n`);
    }
    this.lastPrint = now;
  }

  /** Prints a message above the bar. */
  log(message: string): void {
    if (this.tty) this.out.write(`\r\x1b[2K${message}\n${this.lastLine}`);
    else this.out.write(`${message}\n`);
  }

  finish(message?: string): void {
    if (this.tty) this.out.write(`\r\x1b[2K${this.lastLine}\n`);
    if (message) this.out.write(`${message}\n`);
  }
}
