"use client";
/**
 * Your own text, live: a box to paste text into, the model run over it on the
 * server (POST /api/models/M/run, nothing stored), the text colored by one
 * unit, and the inspector at a clicked character. The view's state goes into
 * the URL whenever the text is short enough to share that way.
 */
import { useState } from "react";
import type { RunTextResult } from "@/lib/cells/run-text.ts";
import { MAX_PRIME_CHARS, MAX_RUN_CHARS, MAX_RUN_URL_CHARS } from "@/lib/api/limits.ts";
import { css, valueColor, type ScaleName } from "@/lib/ui/color.ts";
import { tryHref } from "@/lib/ui/urls.ts";
import { InspectorBody } from "./InspectorBody.tsx";
import { UNIT_SLOT } from "./HeatStrip.tsx";
import { Legend } from "./Legend.tsx";
import { sendJson } from "./send-json.ts";
import { fixed, nameChar, showChar } from "./format.ts";

export interface LiveRequest {
  text: string;
  unit: string;
  prime: string;
  at?: number;
}

export function LiveText({ model, initial, result: first, error: firstError, scale }: { model: string; initial: LiveRequest; result: RunTextResult | null; error: string | null; scale: ScaleName }) {
  const [req, setReq] = useState<LiveRequest>(initial);
  const [result, setResult] = useState<RunTextResult | null>(first);
  const [error, setError] = useState<string | null>(firstError);
  const [busy, setBusy] = useState(false);

  async function run(next: LiveRequest) {
    setBusy(true);
    setReq(next);
    try {
      const r = await sendJson<RunTextResult>(`/api/models/${encodeURIComponent(model)}/run`, "POST", next);
      setResult(r);
      setError(null);
      window.history.replaceState(null, "", tryHref(model, { ...next, scale }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const kind = result?.unit.split(":")[0] ?? req.unit.split(":")[0];
  const chars = Array.from(req.text).length;
  return (
    <div className="space-y-4">
      <form
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          void run({ text: String(f.get("text") ?? ""), unit: String(f.get("unit") ?? "").trim(), prime: String(f.get("prime") ?? "") });
        }}
      >
        <label className="block text-sm font-medium text-stone-700" htmlFor="live-text">
          Your text <span className="font-normal text-stone-500">(up to {MAX_RUN_CHARS.toLocaleString("en")} characters; the link carries up to {MAX_RUN_URL_CHARS.toLocaleString("en")})</span>
        </label>
        <textarea id="live-text" name="text" defaultValue={req.text} rows={5} className="field w-full font-mono text-sm" spellCheck={false} placeholder={'"Does the quote cell fire here?" she asked.'} data-testid="live-input" />
        <div className="flex flex-wrap items-end gap-3">
          <label className="text-sm text-stone-700">
            Unit{" "}
            <input name="unit" defaultValue={req.unit} className="field w-28 font-mono" autoComplete="off" spellCheck={false} data-testid="live-unit" />
          </label>
          <label className="text-sm text-stone-700">
            Prime <span className="text-stone-500">(read first, not shown)</span>{" "}
            <input name="prime" defaultValue={req.prime} maxLength={MAX_PRIME_CHARS} className="field w-48 font-mono" autoComplete="off" spellCheck={false} />
          </label>
          <button type="submit" className="btn" disabled={busy} data-testid="live-run">
            {busy ? "Running…" : "Run"}
          </button>
          {result && chars > MAX_RUN_URL_CHARS && <span className="text-xs text-stone-500">too long for a link: copy the text to share this view</span>}
        </div>
      </form>

      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="live-error">
          {error}
        </p>
      )}

      {result && (
        <section aria-label="Your text colored by the unit" className="space-y-2">
          <div className="flex flex-wrap items-center gap-4">
            <Legend kind={kind} scale={scale} mode="unit" />
            <p className="text-sm text-stone-600" data-testid="live-loss">
              {result.chars.length.toLocaleString("en")} characters · mean loss <span className="num">{fixed(result.meanNats)}</span> nats/char
            </p>
          </div>
          <div className="rounded border border-stone-200 bg-white p-3 font-mono text-sm leading-6 whitespace-pre-wrap break-words" data-testid="live-text" data-unit={result.unit}>
            {result.chars.map((c, i) => {
              const bg = valueColor(result.values[i], kind, scale);
              return (
                <span
                  key={i}
                  data-i={i}
                  role="button"
                  tabIndex={-1}
                  onClick={() => void run({ ...req, at: i })}
                  title={`${nameChar(c)} · ${result.unit} ${result.values[i].toFixed(3)}${result.nats[i] !== null ? ` · next ${result.nats[i]!.toFixed(2)} nats` : ""}`}
                  className={`cursor-pointer ${req.at === i ? "outline-2 outline-stone-900" : ""}`}
                  style={{ background: css(bg) }}
                >
                  {c === "\n" ? "↵\n" : showChar(c)}
                </span>
              );
            })}
          </div>
          <p className="text-xs text-stone-500">Click a character to see every unit there and the model’s guesses for the next one.</p>
        </section>
      )}

      {result?.inspect && (
        <section aria-label="Inspector" className="rounded border border-stone-200 bg-stone-50 p-3" data-testid="live-inspector">
          <h2 className="mb-1 text-sm font-semibold text-stone-700">
            Character {result.inspect.at}: <span className="font-mono">{nameChar(result.inspect.char)}</span>
          </h2>
          <InspectorBody d={result.inspect} model={model} unit={result.unit} scale={scale} mode="unit" unitHref={tryHref(model, { ...req, unit: UNIT_SLOT, scale })} />
        </section>
      )}
    </div>
  );
}
