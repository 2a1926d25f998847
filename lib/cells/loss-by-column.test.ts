import { describe, expect, it } from "vitest";
import { lossByColumn } from "./loss-by-column.ts";

/** The same sums the slow way: split into lines, index each character within its line. */
function reference(text: string, losses: number[], firstColumn: number, width: number, last: number, target: string) {
  const rows: { col: number; ch: string; loss: number }[] = [];
  let o = 0;
  text.split(/(?<=\n)/).forEach((line, i) => {
    Array.from(line).forEach((ch, j) => rows.push({ col: (i === 0 ? firstColumn : 0) + j, ch, loss: losses[o++] }));
  });
  const bucketOf = (c: number) => (c >= last ? Math.ceil(last / width) : Math.floor(c / width));
  const out = new Map<number, { n: number; s: number; tn: number; ts: number; tp: number }>();
  for (const r of rows) {
    if (!Number.isFinite(r.loss)) continue;
    const b = out.get(bucketOf(r.col)) ?? { n: 0, s: 0, tn: 0, ts: 0, tp: 0 };
    b.n++;
    b.s += r.loss;
    if (target.includes(r.ch)) {
      b.tn++;
      b.ts += r.loss;
      b.tp += Math.exp(-r.loss);
    }
    out.set(bucketOf(r.col), b);
  }
  return out;
}

describe("lossByColumn", () => {
  // Pseudo-random losses; a few lines of varied length, one past the last bucket.
  const text = "ab c\n" + "x".repeat(23) + "\n\n" + "hello world, this line runs well past column thirty\nend";
  const losses = Array.from(text, (_, i) => (i === 0 ? NaN : ((i * 7919) % 97) / 20));

  it("buckets each character by its column and averages the loss of the target class", () => {
    const got = lossByColumn(Array.from(text), losses, "", { width: 10, last: 30 });
    const want = reference(text, losses, 0, 10, 30, "\n");
    expect(got.buckets.map((b) => [b.from, b.to])).toEqual([[0, 10], [10, 20], [20, 30], [30, null]]);
    expect(got.chars).toBe(text.length - 1);
    got.buckets.forEach((b, i) => {
      const w = want.get(i) ?? { n: 0, s: 0, tn: 0, ts: 0, tp: 0 };
      expect(b.chars).toBe(w.n);
      expect(b.targets).toBe(w.tn);
      if (w.n) expect(b.nats).toBeCloseTo(w.s / w.n, 12);
      else expect(b.nats).toBeNull();
      if (w.tn) {
        expect(b.targetNats).toBeCloseTo(w.ts / w.tn, 12);
        expect(b.targetP).toBeCloseTo(w.tp / w.tn, 12);
      } else expect(b.targetNats).toBeNull();
    });
    // The 23-x line's newline is at column 23, the long line's at 51 (open bucket).
    expect(got.buckets[2].targets).toBe(1);
    expect(got.buckets[3].targets).toBe(1);
  });

  it("starts the first line at the column the context leaves it", () => {
    const ctx = "earlier text\n" + "y".repeat(27);
    const got = lossByColumn(Array.from(text), losses, ctx, { width: 10, last: 30 });
    const want = reference(text, losses, 27, 10, 30, "\n");
    got.buckets.forEach((b, i) => expect(b.chars).toBe(want.get(i)?.n ?? 0));
    // "ab c\n" now sits at columns 27–31: its newline lands in the open bucket.
    expect(got.buckets[3].targets).toBe(2);
  });

  it("takes any class of characters and a last bucket that is not a multiple of the width", () => {
    const got = lossByColumn(Array.from(text), losses, "", { target: " ,", width: 20, last: 30 });
    const want = reference(text, losses, 0, 20, 30, " ,");
    expect(got.buckets.map((b) => [b.from, b.to])).toEqual([[0, 20], [20, 30], [30, null]]);
    got.buckets.forEach((b, i) => expect(b.targets).toBe(want.get(i)?.tn ?? 0));
  });

  it("splits each target's loss by a wider class: −ln p(given) plus −ln p(target | given)", () => {
    // p(given) at o: the target's own probability times a factor ≥ 1 (a space's share), below 1 in all.
    const givenP = losses.map((l, i) => Math.min(1, Math.exp(-l) * (1 + (i % 5) / 2)));
    const got = lossByColumn(Array.from(text), losses, "", { width: 10, last: 30, given: " \n" }, givenP);
    expect(got.given).toBe(" \n");
    const chars = Array.from(text);
    let col = 0;
    const want = new Map<number, { n: number; c: number; w: number }>();
    chars.forEach((ch, o) => {
      const b = col >= 30 ? 3 : Math.floor(col / 10);
      if (ch === "\n" && Number.isFinite(losses[o])) {
        const e = want.get(b) ?? { n: 0, c: 0, w: 0 };
        const pg = Math.max(givenP[o], Math.exp(-losses[o]));
        e.n++;
        e.c += -Math.log(pg);
        e.w += -Math.log(Math.exp(-losses[o]) / pg);
        want.set(b, e);
      }
      col = ch === "\n" ? 0 : col + 1;
    });
    got.buckets.forEach((b, i) => {
      const w = want.get(i);
      if (!w) return expect(b.classNats).toBeNull();
      expect(b.classNats).toBeCloseTo(w.c / w.n, 12);
      expect(b.givenNats).toBeCloseTo(w.w / w.n, 12);
      expect(b.classNats! + b.givenNats!).toBeCloseTo(b.targetNats!, 12);
    });
    expect([...want.values()].some((w) => w.c > 0.01 && w.w > 0.01)).toBe(true);
    // Without a given class the buckets carry no split.
    expect(lossByColumn(Array.from(text), losses, "", { width: 10, last: 30 }).buckets[0]).not.toHaveProperty("classNats");
  });

  it("refuses a bad width, an empty class, or a given class that leaves out a target", () => {
    expect(() => lossByColumn(["a"], [1], "", { width: 0 })).toThrow(/width/);
    expect(() => lossByColumn(["a"], [1], "", { target: "" })).toThrow(/target/);
    expect(() => lossByColumn(["a"], [1], "", { target: "\n", given: " " }, [1])).toThrow(/given class must hold every target/);
  });
});
