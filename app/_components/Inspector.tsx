/** The inspector panel rendered on the server (the compare page): the model's state at one character. The cell page's follows the selection in the browser (CellInspector). */
import { inspectChar } from "@/lib/inspect/inspect-char.ts";
import type { ScaleName } from "@/lib/ui/color.ts";
import type { ColorMode } from "@/lib/ui/urls.ts";
import { InspectorBody } from "./InspectorBody.tsx";
import { int } from "./format.ts";

export async function Inspector({ model, unit, at, scale, mode }: { model: string; unit: string; at: number; scale: ScaleName; mode: ColorMode }) {
  const d = await inspectChar(model, at);
  return (
    <section className="panel" aria-labelledby="inspector-title" data-testid="inspector">
      <h2 id="inspector-title" className="panel-title">
        Inspector · offset <span className="num">{int(at)}</span>
      </h2>
      <InspectorBody d={d} model={model} unit={unit} scale={scale} mode={mode} />
    </section>
  );
}
