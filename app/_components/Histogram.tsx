/** A unit's value histogram (64 bins over its kind's range) as SVG bars, on a square-root scale so rare values stay visible. */
export function Histogram({ bins, range, title }: { bins: number[]; range: [number, number]; title: string }) {
  const W = 256, H = 64;
  const max = Math.max(1, ...bins.map((b) => Math.sqrt(b)));
  const w = W / Math.max(1, bins.length);
  const total = bins.reduce((a, b) => a + b, 0);
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H + 12}`} className="h-auto w-full" role="img" aria-label={title} data-testid="histogram">
        <title>{title}</title>
        <line x1={0} x2={W} y1={H} y2={H} stroke="#a8a29e" strokeWidth={0.5} />
        <line x1={W / 2} x2={W / 2} y1={0} y2={H} stroke="#d6d3d1" strokeWidth={0.5} strokeDasharray="2 2" />
        {bins.map((b, i) => {
          const h = (Math.sqrt(b) / max) * H;
          const lo = range[0] + ((range[1] - range[0]) * i) / bins.length;
          return b > 0 ? (
            <rect key={i} x={i * w + 0.25} y={H - h} width={Math.max(0.5, w - 0.5)} height={h} fill="#57534e">
              <title>{`${lo.toFixed(2)}…${(lo + (range[1] - range[0]) / bins.length).toFixed(2)}: ${b} (${((100 * b) / Math.max(1, total)).toFixed(1)}%)`}</title>
            </rect>
          ) : null;
        })}
        <text x={0} y={H + 10} fontSize={9} fill="#78716c">{range[0]}</text>
        <text x={W / 2} y={H + 10} fontSize={9} fill="#78716c" textAnchor="middle">{(range[0] + range[1]) / 2}</text>
        <text x={W} y={H + 10} fontSize={9} fill="#78716c" textAnchor="end">{range[1]}</text>
      </svg>
    </figure>
  );
}
