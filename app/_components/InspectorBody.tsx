/**
 * The inspector's contents for one character: the model's top-5 guesses for
 * the next one, the loss it paid, and every unit's value (heat strips). Plain
 * markup, shared by the server-rendered inspector (compare page) and the
 * cell page's client one.
 */
import type { InspectedChar } from "@/lib/inspect/inspect-char.ts";
import type { ScaleName } from "@/lib/ui/color.ts";
import type { ColorMode } from "@/lib/ui/urls.ts";
import { HeatStrips } from "./HeatStrip.tsx";
import { nameChar, showChar } from "./format.ts";

export function InspectorBody({ d, model, unit, scale, mode, unitHref }: { d: InspectedChar; model: string; unit: string; scale: ScaleName; mode: ColorMode; unitHref?: string }) {
  return (
    <>
      <p className="text-sm text-stone-700">
        After reading <strong className="font-mono">{nameChar(d.char)}</strong>, the model’s guesses for the next character
        {d.next !== null ? (
          <>
            {" "}
            (actually <strong className="font-mono">{nameChar(d.next)}</strong>):
          </>
        ) : (
          ":"
        )}
      </p>
      <ol className="mt-2 space-y-1" data-testid="guesses" aria-label="Top 5 next-character guesses">
        {d.guesses.map((g, i) => (
          <li key={i} className="flex items-center gap-2 font-mono text-sm" data-correct={g.correct ? "" : undefined}>
            <span className={`w-8 shrink-0 rounded border px-1 text-center ${g.correct ? "border-stone-900 bg-stone-900 text-white" : "border-stone-300 bg-stone-50"}`} title={nameChar(g.char)}>
              {showChar(g.char) === " " ? "␣" : showChar(g.char)}
            </span>
            <span className="h-2 min-w-0 flex-1 rounded-sm bg-stone-100" aria-hidden="true">
              <span className="block h-2 rounded-sm bg-stone-600" style={{ width: `${Math.max(1, g.p * 100)}%` }} />
            </span>
            <span className="num w-14 shrink-0 text-right text-xs">{(g.p * 100).toFixed(1)}%</span>
            <span className="sr-only">{g.correct ? "(correct)" : ""}</span>
          </li>
        ))}
      </ol>
      <p className="mt-2 text-sm text-stone-700" data-testid="loss">
        Loss on the next character:{" "}
        {d.lossNats === null ? (
          "— (last character)"
        ) : (
          <span className="num">
            {d.lossBits!.toFixed(2)} bits ({d.lossNats.toFixed(3)} nats)
          </span>
        )}
      </p>
      <h3 className="mt-3 mb-1 text-xs font-semibold text-stone-500">All units at this character</h3>
      <HeatStrips model={model} groups={d.groups} at={d.at} scale={scale} mode={mode} current={unit} unitHref={unitHref} />
    </>
  );
}
