/**
 * The probability a model gave each newline, by the column it came at (bars),
 * and the mean loss of every character there (the line): does the model know
 * where the lines of a hard-wrapped text end? A model that has the paper's
 * line-length cell finds the newline near column 70 almost certain.
 */
import type { LossByColumn } from "@/lib/cells/loss-by-column.ts";
import { ticks } from "./Charts.tsx";

const label = (b: { from: number; to: number | null }) => (b.to === null ? `${b.from}+` : `${b.from}–${b.to - 1}`);

export function ColumnChart({ data }: { data: LossByColumn }) {
  const W = 560, H = 200, L = 40, R = 40, T = 10, B = 34;
  const n = data.buckets.length;
  const bw = (W - L - R) / n;
  const y = (p: number) => T + (1 - p) * (H - T - B);
  const natsMax = Math.max(1, ...data.buckets.map((b) => b.nats ?? 0));
  const yn = (v: number) => T + (1 - v / natsMax) * (H - T - B);
  const line = data.buckets
    .map((b, i) => (b.nats === null ? null : `${L + (i + 0.5) * bw},${yn(b.nats).toFixed(1)}`))
    .filter(Boolean)
    .join(" ");
  const what = data.target === "\n" ? "newline" : `character of ${JSON.stringify(data.target)}`;
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={`Mean probability given to each ${what}, by column`} data-testid="column-chart">
        {[0, 0.25, 0.5, 0.75, 1].map((p) => (
          <g key={p}>
            <line x1={L} x2={W - R} y1={y(p)} y2={y(p)} stroke="#e7e5e4" />
            <text x={L - 6} y={y(p) + 3} fontSize={10} fill="#78716c" textAnchor="end">
              {p}
            </text>
          </g>
        ))}
        {ticks(0, natsMax, 4).map((v) => (
          <text key={v} x={W - R + 6} y={yn(v) + 3} fontSize={10} fill="#c2410c">
            {v}
          </text>
        ))}
        {data.buckets.map((b, i) => (
          <g key={b.from}>
            {b.targetP !== null && (
              <rect x={L + i * bw + 2} y={y(b.targetP)} width={bw - 4} height={H - B - y(b.targetP)} fill="#2563eb" opacity={0.75}>
                <title>{`columns ${label(b)}: ${b.targets} ${what}s, mean probability ${b.targetP.toFixed(3)} (${b.targetNats!.toFixed(2)} nats each)`}</title>
              </rect>
            )}
            <text x={L + (i + 0.5) * bw} y={H - B + 13} fontSize={9} fill="#78716c" textAnchor="middle">
              {label(b)}
            </text>
          </g>
        ))}
        <polyline points={line} fill="none" stroke="#c2410c" strokeWidth={1.5} />
        <line x1={L} x2={W - R} y1={H - B} y2={H - B} stroke="#a8a29e" />
        <text x={(L + W - R) / 2} y={H - 4} fontSize={10} fill="#57534e" textAnchor="middle">
          column (characters since the last newline)
        </text>
      </svg>
      <figcaption className="mt-1 flex flex-wrap gap-4 text-xs text-stone-600">
        <span>
          <span className="mr-1 inline-block h-2 w-3 bg-blue-600/75 align-middle" />
          probability given to each {what} that came (left axis)
        </span>
        <span>
          <span className="mr-1 inline-block h-0.5 w-4 bg-orange-700 align-middle" />
          mean loss of every character there, nats (right axis)
        </span>
      </figcaption>
    </figure>
  );
}
