/** Small SVG charts for the model page: the training curve and the gate-saturation scatter. */
import { css, SCALE_INFO, type ScaleName } from "@/lib/ui/color.ts";
import { cellHref } from "@/lib/ui/urls.ts";
import { kindColor, kindLabel, UNIT_KINDS } from "@/lib/model/unit-kinds.ts";

interface Point {
  iteration: number;
  epoch: number;
  loss: number;
}

/** Round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toFixed(10));
  return out;
}

/** Loss curves in bits per `per` (a char model's character; a captioner's word). */
export function LossChart({ train, valid, per = "char" }: { train: Point[]; valid: Point[]; per?: "char" | "word" }) {
  const W = 560, H = 220, L = 44, R = 12, T = 10, B = 30;
  const all = [...train, ...valid];
  if (all.length === 0) return <p className="text-sm text-stone-500">No training history recorded.</p>;
  const xMax = Math.max(1, ...all.map((p) => p.iteration));
  const losses = all.map((p) => p.loss / Math.LN2).filter(Number.isFinite);
  const yLo = Math.max(0, Math.floor(Math.min(...losses) * 2) / 2);
  const yHi = Math.ceil(Math.max(...losses) * 2) / 2;
  const x = (i: number) => L + (i / xMax) * (W - L - R);
  const y = (nats: number) => T + (1 - (nats / Math.LN2 - yLo) / Math.max(1e-9, yHi - yLo)) * (H - T - B);
  const path = (ps: Point[]) => ps.map((p, i) => `${i ? "L" : "M"}${x(p.iteration).toFixed(1)},${y(p.loss).toFixed(1)}`).join("");
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={`Training curve: loss in bits per ${per === "char" ? "character" : "word"} over ${xMax} iterations`} data-testid="loss-chart">
        {ticks(yLo, yHi, 4).map((v) => (
          <g key={v}>
            <line x1={L} x2={W - R} y1={y(v * Math.LN2)} y2={y(v * Math.LN2)} stroke="#e7e5e4" />
            <text x={L - 6} y={y(v * Math.LN2) + 3} fontSize={10} fill="#78716c" textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        {ticks(0, xMax, 5).map((v) => (
          <text key={v} x={x(v)} y={H - B + 14} fontSize={10} fill="#78716c" textAnchor="middle">
            {v}
          </text>
        ))}
        <text x={(L + W - R) / 2} y={H - 4} fontSize={10} fill="#57534e" textAnchor="middle">
          iteration
        </text>
        <text x={10} y={(T + H - B) / 2} fontSize={10} fill="#57534e" textAnchor="middle" transform={`rotate(-90 10 ${(T + H - B) / 2})`}>
          bits/{per}
        </text>
        <line x1={L} x2={L} y1={T} y2={H - B} stroke="#a8a29e" />
        <line x1={L} x2={W - R} y1={H - B} y2={H - B} stroke="#a8a29e" />
        {train.length > 0 && <path d={path(train)} fill="none" stroke="#78716c" strokeWidth={1.2} />}
        {valid.length > 0 && <path d={path(valid)} fill="none" stroke="#c2410c" strokeWidth={1.8} />}
        {valid.map((p) => (
          <circle key={p.iteration} cx={x(p.iteration)} cy={y(p.loss)} r={2.5} fill="#c2410c">
            <title>{`validation at iteration ${p.iteration} (epoch ${p.epoch.toFixed(2)}): ${(p.loss / Math.LN2).toFixed(3)} bits/${per}`}</title>
          </circle>
        ))}
      </svg>
      <figcaption className="mt-1 flex gap-4 text-xs text-stone-600">
        <span>
          <span className="mr-1 inline-block h-0.5 w-4 bg-stone-500 align-middle" />
          training ({train.length} points)
        </span>
        <span>
          <span className="mr-1 inline-block h-0.5 w-4 bg-orange-700 align-middle" />
          validation ({valid.length} points)
        </span>
      </figcaption>
    </figure>
  );
}

interface GateUnit {
  unit: string;
  kind: string;
  satLeft: number;
  satRight: number;
}


/**
 * Fraction of time each gate of one layer is left-saturated (< 0.1) vs
 * right-saturated (> 0.9), as in Karpathy et al. (2015), Fig. 3. Dots link to
 * their cell pages when `linked` (the gates are in the recording the cell pages show).
 */
export function SaturationPlot({ model, layer, units, scale, linked }: { model: string; layer: number; units: GateUnit[]; scale: ScaleName; linked: boolean }) {
  const S = 260, P = 30;
  const x = (v: number) => P + v * (S - P - 8);
  const y = (v: number) => S - P - v * (S - P - 8);
  return (
    <figure>
      <p className="mb-1 font-mono text-xs font-semibold text-stone-700">layer {layer}</p>
      <svg viewBox={`0 0 ${S} ${S}`} className="h-auto w-full max-w-[320px]" role={linked ? "group" : "img"} aria-label={`Gate saturation in layer ${layer}: fraction left-saturated against fraction right-saturated, ${units.length} gates`} data-testid={`saturation-plot-${layer}`}>
        <line x1={x(0)} x2={x(1)} y1={y(0)} y2={y(0)} stroke="#a8a29e" />
        <line x1={x(0)} x2={x(0)} y1={y(0)} y2={y(1)} stroke="#a8a29e" />
        <line x1={x(0)} x2={x(1)} y1={y(1)} y2={y(0)} stroke="#e7e5e4" strokeDasharray="3 3" />
        {[0, 0.5, 1].map((v) => (
          <g key={v}>
            <text x={x(v)} y={S - P + 12} fontSize={9} fill="#78716c" textAnchor="middle">
              {v}
            </text>
            <text x={P - 4} y={y(v) + 3} fontSize={9} fill="#78716c" textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        <text x={(P + S) / 2} y={S - 4} fontSize={9} fill="#57534e" textAnchor="middle">
          fraction left-saturated (&lt; 0.1)
        </text>
        <text x={9} y={(S - P) / 2} fontSize={9} fill="#57534e" textAnchor="middle" transform={`rotate(-90 9 ${(S - P) / 2})`}>
          fraction right-saturated (&gt; 0.9)
        </text>
        {units.map((u) => {
          const dot = (
            <circle key={u.unit} cx={x(u.satLeft)} cy={y(u.satRight)} r={3} fill={kindColor(u.kind) ?? css(SCALE_INFO[scale].pos)} fillOpacity={0.6} stroke="#1c1917" strokeWidth={0.3} data-unit={u.unit}>
              <title>{`${u.unit}: left ${(u.satLeft * 100).toFixed(1)}%, right ${(u.satRight * 100).toFixed(1)}%`}</title>
            </circle>
          );
          return linked ? (
            <a key={u.unit} href={cellHref(model, u.unit, { scale })}>
              {dot}
            </a>
          ) : (
            dot
          );
        })}
      </svg>
      <figcaption className="mt-1 flex gap-3 text-xs text-stone-600">
        {UNIT_KINDS.filter((k) => units.some((u) => u.kind === k)).map((k) => (
          <span key={k}>
            <span className="mr-1 inline-block h-2 w-2 rounded-full align-middle" style={{ backgroundColor: kindColor(k) }} />
            {kindLabel(k)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
