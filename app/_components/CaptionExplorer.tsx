"use client";
/**
 * /captioning's live part: the scene (drawn from its objects by the same code
 * that made the training pictures), test scenes to pick, a canvas to place
 * shapes on, and the caption revealed word by word, each word colored by the
 * chosen decoder unit, with the five likeliest words at the step picked.
 * Every change goes through the URL, so every view is a permalink.
 */
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { COLORS, IMAGE, SHAPES, SIZES, renderScene, type SceneObject } from "@/lib/captioning/scenes.ts";
import type { CaptionResult } from "@/lib/cells/caption-scene.ts";
import { css, valueColor, luminance } from "@/lib/ui/color.ts";
import { captioningHref, type CaptioningView } from "@/lib/ui/urls.ts";
import { MAX_CAPTION_OBJECTS } from "@/lib/api/limits.ts";

const SCALE = 4;

/** A scene's picture, 64×64 pixels shown SCALE× larger; `onPick` gets clicks in picture pixels. */
function SceneCanvas({ objects, size = IMAGE * SCALE, onPick, label }: { objects: SceneObject[]; size?: number; onPick?: (x: number, y: number) => void; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext("2d");
    if (!ctx) return;
    const rgb = renderScene({ id: "", objects });
    const img = ctx.createImageData(IMAGE, IMAGE);
    for (let i = 0; i < IMAGE * IMAGE; i++) {
      img.data.set([rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2], 255], 4 * i);
    }
    ctx.putImageData(img, 0, 0);
  }, [objects]);
  return (
    <canvas
      ref={ref}
      width={IMAGE}
      height={IMAGE}
      role="img"
      aria-label={label}
      data-testid={onPick ? "scene-canvas" : undefined}
      style={{ width: size, height: size, imageRendering: "pixelated", cursor: onPick ? "crosshair" : undefined }}
      className="rounded border border-stone-300"
      onClick={(e) => {
        if (!onPick) return;
        const r = e.currentTarget.getBoundingClientRect();
        onPick(Math.round(((e.clientX - r.left) / r.width) * (IMAGE - 1)), Math.round(((e.clientY - r.top) / r.height) * (IMAGE - 1)));
      }}
    />
  );
}

export function CaptionExplorer({ result, view, testScenes }: { result: CaptionResult; view: CaptioningView; testScenes: { id: string; objects: SceneObject[] }[] }) {
  const router = useRouter();
  const [shown, setShown] = useState(0);
  const [picked, setPicked] = useState<number | null>(null);
  const [draft, setDraft] = useState<SceneObject[]>(view.objects ? result.scene.objects : []);
  const [tool, setTool] = useState<Pick<SceneObject, "shape" | "color" | "size">>({ shape: "circle", color: "red", size: "large" });
  const [unit, setUnit] = useState(view.unit ?? "");
  const steps = result.steps;
  // The caption appears word by word, as the decoder wrote it.
  useEffect(() => {
    setShown(0);
    setPicked(null);
    const t = setInterval(() => setShown((n) => (n >= steps.length ? (clearInterval(t), n) : n + 1)), 180);
    return () => clearInterval(t);
  }, [steps]);
  const step = picked ?? Math.max(0, Math.min(shown, steps.length) - 1);
  const kind = result.unit?.id.split(":")[0] ?? "h";
  const go = (v: CaptioningView) => router.push(captioningHref(v), { scroll: false });
  return (
    <div className="grid gap-6 md:grid-cols-[auto_1fr]">
      <div className="space-y-3">
        <SceneCanvas objects={view.objects ? draft : result.scene.objects} label={`the scene: ${result.references[0] ?? ""}`} onPick={view.objects ? (x, y) => draft.length < MAX_CAPTION_OBJECTS && setDraft([...draft, { ...tool, x, y }]) : undefined} />
        {view.objects ? (
          <div className="space-y-2 text-sm" data-testid="draw-tools">
            <p className="text-stone-600">Click the picture to place a shape (up to {MAX_CAPTION_OBJECTS}).</p>
            <div className="flex flex-wrap gap-2">
              {(
                [
                  ["shape", SHAPES],
                  ["color", COLORS],
                  ["size", SIZES],
                ] as const
              ).map(([key, options]) => (
                <label key={key} className="flex items-center gap-1">
                  {key}
                  <select className="rounded border border-stone-300 px-1" value={tool[key]} onChange={(e) => setTool({ ...tool, [key]: e.target.value })}>
                    {options.map((o) => (
                      <option key={o}>{o}</option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
            <div className="flex gap-2">
              <button type="button" className="btn" disabled={draft.length === 0} onClick={() => go({ objects: draft, unit: view.unit })}>
                caption my drawing
              </button>
              <button type="button" className="btn" onClick={() => setDraft([])}>
                clear
              </button>
            </div>
          </div>
        ) : (
          <Link className="text-sm underline" href={captioningHref({ objects: result.scene.objects, unit: view.unit })}>
            draw your own (start from this one)
          </Link>
        )}
        <div>
          <p className="mb-1 text-sm text-stone-600">Test scenes</p>
          <ul className="grid grid-cols-6 gap-1" aria-label="test scenes">
            {testScenes.map((s) => (
              <li key={s.id}>
                <Link href={captioningHref({ scene: s.id, unit: view.unit })} aria-label={s.id} aria-current={s.id === result.scene.id ? "true" : undefined}>
                  <SceneCanvas objects={s.objects} size={44} label={s.id} />
                </Link>
              </li>
            ))}
          </ul>
        </div>
      </div>
      <div className="space-y-4">
        <div>
          <p className="text-sm text-stone-600">
            {result.scene.id ? <span className="font-mono">{result.scene.id}</span> : "your drawing"} · {result.captioner.id} ({result.captioner.cell}, {result.captioner.layers}×{result.captioner.hidden}){view.temperature ? ` · sampled at temperature ${view.temperature}` : " · greedy"}
          </p>
          <p className="mt-2 flex flex-wrap items-baseline gap-1 text-2xl" data-testid="caption" aria-live="polite">
            {steps.slice(0, shown).map((s, i) => {
              const v = result.unit?.values[i];
              const bg = v === undefined ? undefined : valueColor(v, kind);
              return (
                <button
                  key={i}
                  type="button"
                  data-testid="caption-word"
                  title={v === undefined ? undefined : `${result.unit!.id} = ${v.toFixed(3)}`}
                  onClick={() => setPicked(i)}
                  className={`rounded px-1 ${i === step ? "ring-2 ring-stone-500" : ""} ${s.word === "<end>" ? "text-base text-stone-400" : ""}`}
                  style={bg ? { background: css(bg), color: luminance(bg) < 0.45 ? "white" : undefined } : undefined}
                >
                  {s.word}
                </button>
              );
            })}
          </p>
          {shown >= steps.length && (
            <p className={`mt-2 text-sm ${result.true ? "text-green-700" : "text-red-700"}`} data-testid="caption-verdict">
              {result.true ? "✓ true of the scene" : "✗ not true of the scene"}
              <span className="text-stone-500"> (the grammar's parser checks every object, color, size and relation it claims)</span>
            </p>
          )}
          {shown >= steps.length && (
            <p className="mt-1 text-sm text-stone-600" data-testid="beam-caption">
              Beam search (the {result.beam.width} likeliest captions kept at every word) writes <q className="font-mono">{result.beam.caption}</q>{" "}
              <span className={result.beam.true ? "text-green-700" : "text-red-700"}>{result.beam.true ? "✓ true" : "✗ not true"}</span>
            </p>
          )}
        </div>
        {steps[step] && (
          <div>
            <p className="text-sm text-stone-600">
              Step {step + 1}: the five likeliest words after <span className="font-mono">{step === 0 ? "<start>" : steps[step - 1].word}</span>
            </p>
            <table className="mt-1 text-sm" data-testid="top5">
              <tbody>
                {steps[step].top.map((t) => (
                  <tr key={t.word} className={t.word === steps[step].word ? "font-semibold" : ""}>
                    <td className="pr-3 font-mono">{t.word}</td>
                    <td className="num whitespace-nowrap">
                      <span className="inline-block h-2 rounded bg-stone-500 align-middle" style={{ width: `${Math.max(0.1, t.p * 8)}rem` }} /> {(t.p * 100).toFixed(1)}%
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <form
          className="flex flex-wrap items-center gap-2 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            go({ ...view, unit: unit.trim() || undefined });
          }}
        >
          <label htmlFor="caption-unit">color the words by decoder unit</label>
          <input id="caption-unit" className="w-28 rounded border border-stone-300 px-1 font-mono" placeholder={result.kinds[0]} value={unit} onChange={(e) => setUnit(e.target.value)} />
          <button className="btn" type="submit">
            color
          </button>
          <span className="text-stone-500">kinds: {result.kinds.map((k) => k.replace(/:0$/, ":N")).join(", ")}</span>
        </form>
        <div className="text-sm">
          <p className="text-stone-600">True captions the grammar writes for this scene:</p>
          <ul className="list-disc pl-5" data-testid="references">
            {result.references.slice(0, 4).map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
