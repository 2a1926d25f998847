/** The color legend: a gradient bar with its ends and middle labelled. */
import { isSigned, UNIT_KINDS } from "@/lib/model/unit-kinds.ts";
import { gradientCss, surpriseColor, SURPRISE_MAX_NATS, valueColor, SCALE_INFO, type ScaleName } from "@/lib/ui/color.ts";

export function Legend({ kind, scale, mode }: { kind: string; scale: ScaleName; mode: "unit" | "surprise" }) {
  if (mode === "surprise") {
    const bits = SURPRISE_MAX_NATS / Math.LN2;
    return (
      <figure className="flex items-center gap-2 text-xs text-stone-600" data-testid="legend" aria-label="Color legend: surprise">
        <span>0 bits</span>
        <span className="h-3 w-40 rounded-sm border border-stone-300" style={{ background: gradientCss((t) => surpriseColor(t * SURPRISE_MAX_NATS)) }} />
        <span>≥ {bits.toFixed(1)} bits</span>
        <figcaption className="text-stone-500">the model’s surprise at each character (its loss when predicting it)</figcaption>
      </figure>
    );
  }
  const gate = !isSigned(kind);
  const [lo, mid, hi] = gate ? ["0", "0.5", "1"] : ["−1", "0", "+1"];
  const s = SCALE_INFO[scale];
  return (
    <figure className="flex flex-wrap items-center gap-2 text-xs text-stone-600" data-testid="legend" aria-label={`Color legend: ${lo} ${s.negName}, ${mid} white, ${hi} ${s.posName}`}>
      <span>{lo}</span>
      <span className="relative h-3 w-40 rounded-sm border border-stone-300" style={{ background: gradientCss((t) => valueColor(gate ? t : 2 * t - 1, kind, scale)) }}>
        <span className="absolute top-full left-1/2 -translate-x-1/2 text-[10px] leading-3 text-stone-400">{mid}</span>
      </span>
      <span>{hi}</span>
      <figcaption className="text-stone-500">{s.label}</figcaption>
    </figure>
  );
}

/**
 * The legend of a view that colors several units (search results, compared
 * units, labels, a collection): one per value range among their kinds, −1 … +1
 * for tanh-like kinds and 0 … 1 for the gates; nothing when no unit is colored.
 */
export function Legends({ units, scale }: { units: Iterable<string>; scale: ScaleName }) {
  const kinds = new Set<string>();
  // One representative kind per range (the first of its range in the registry).
  const signed = UNIT_KINDS.find((k) => isSigned(k))!;
  const unsigned = UNIT_KINDS.find((k) => !isSigned(k))!;
  for (const u of units) kinds.add(isSigned(u.split(":")[0]) ? signed : unsigned);
  if (kinds.size === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-1" data-testid="legends">
      {[...kinds].sort().map((k) => (
        <Legend key={k} kind={k} scale={scale} mode="unit" />
      ))}
    </div>
  );
}
