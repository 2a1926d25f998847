"use client";
/** Streams generated text from the sample API and colors each character by the unit as it arrives. */
import { useEffect, useState } from "react";
import { css, valueColor, type ScaleName } from "@/lib/ui/color.ts";
import { measureText } from "@/lib/ui/sample-measures.ts";
import { readNdjson } from "./read-ndjson.ts";
import { sendJson } from "./send-json.ts";

interface Ch {
  c: string;
  v: number;
  p?: 1;
}

/** "1 character", "2 characters". */
function characters(n: number): string {
  return n === 1 ? "1 character" : `${n} characters`;
}

/**
 * `measures`: once done, what the generated text is like (quote marks, inside
 * quotes, newlines, braces), to compare streams side by side, and the mean
 * loss the free model pays on it (`model`, after the same `prime`): how
 * natural the text still is to the model that was not steered.
 */
export function SampleStream({ url, kind, unit, scale, measures = false, testId = "sample-text", model, prime = "" }: { url: string; kind: string; unit: string; scale: ScaleName; measures?: boolean; testId?: string; model?: string; prime?: string }) {
  const [chars, setChars] = useState<Ch[]>([]);
  const [state, setState] = useState<"running" | "done" | "error">("running");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    setChars([]);
    setState("running");
    setError(null);
    (async () => {
      await readNdjson<Ch>(url, (batch) => setChars((cs) => cs.concat(batch)), ctrl.signal);
      setState("done");
    })().catch((e: Error) => {
      if (ctrl.signal.aborted) return;
      setError(e.message);
      setState("error");
    });
    return () => ctrl.abort();
  }, [url]);

  const generated = chars.filter((c) => !c.p).length;
  return (
    <div>
      <p className="mb-1 text-xs text-stone-500" aria-live="polite" data-testid="sample-status">
        {state === "running" ? `generating… ${characters(generated)}` : state === "done" ? `${characters(generated)} generated` : "stopped"}
      </p>
      <div className="acts min-h-40 rounded-md border border-stone-300 bg-white p-3 font-mono text-[14px] leading-[1.6]" data-testid={testId}>
        {chars.map((ch, i) => (
          <span key={i} className={`${ch.c === "\n" ? "nl" : ""} ${ch.p ? "underline decoration-stone-400" : ""}`} style={{ backgroundColor: css(valueColor(ch.v, kind, scale)) }} title={`${unit} ${ch.v.toFixed(3)}${ch.p ? " (prime)" : ""}`}>
            {ch.c}
          </span>
        ))}
      </div>
      {measures && state === "done" && <Measures text={chars.filter((c) => !c.p).map((c) => c.c).join("")} model={model} prime={prime} unit={unit} />}
      {error && (
        <p role="alert" className="mt-1 text-sm text-red-700" data-testid="sample-error">
          {error}
        </p>
      )}
    </div>
  );
}

function Measures({ text, model, prime, unit }: { text: string; model?: string; prime: string; unit: string }) {
  const m = measureText(text);
  const [loss, setLoss] = useState<number | null | "error">(null);
  useEffect(() => {
    if (!model || Array.from(text).length < 2) return;
    // The sampler reads "\n" when there is no prime (lib/sample/sample-cell.ts), so the free model does too.
    sendJson<{ meanNats: number | null }>(`/api/models/${encodeURIComponent(model)}/run`, "POST", { text, unit, prime: prime || "\n" })
      .then((r) => setLoss(r.meanNats))
      .catch(() => setLoss("error"));
  }, [model, text, prime, unit]);
  const row = (label: string, value: string) => (
    <div>
      <dt className="text-[11px] text-stone-500">{label}</dt>
      <dd className="num">{value}</dd>
    </div>
  );
  return (
    <dl className="mt-1 grid grid-cols-2 gap-x-3 gap-y-1 text-sm sm:grid-cols-5" data-testid="sample-measures" data-quotes={m.quotesPer1000.toFixed(1)}>
      {row("quote marks / 1,000", m.quotesPer1000.toFixed(1))}
      {row("inside quotes", `${(m.insideQuotes * 100).toFixed(1)}%`)}
      {row("newlines / 1,000", m.newlinesPer1000.toFixed(1))}
      {row("brace balance", `${m.braceBalance > 0 ? "+" : ""}${m.braceBalance}`)}
      {model && (
        <div title="The mean loss the model, run free (nothing held), pays on this text: higher means the text is less like what it would write itself">
          <dt className="text-[11px] text-stone-500">loss under the free model</dt>
          <dd className="num" data-testid="sample-free-loss">
            {loss === null ? "…" : loss === "error" ? "—" : `${loss.toFixed(3)} nats/char`}
          </dd>
        </div>
      )}
    </dl>
  );
}
