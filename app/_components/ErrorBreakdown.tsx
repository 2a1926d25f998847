"use client";
/**
 * Where models go wrong (GET …/errors, lib/cells/analyze-errors.ts): for each
 * model, its test loss as a stacked bar, the loss on characters it got right
 * and on each kind of error, on one scale so the models of a corpus compare;
 * then each category's share per model, with links to its worst characters.
 * Fetched after the page loads: the first request per corpus counts n-grams.
 */
import Link from "next/link";
import type { ErrorAnalysis } from "@/lib/cells/analyze-errors.ts";
import { cellHref, modelHref } from "@/lib/ui/urls.ts";
import { fixed, pct } from "./format.ts";
import { useFetched, type Fetched } from "./use-fetched.ts";

const COLORS: Record<string, string> = {
  right: "#d6d3d1",
  ngram: "#475569",
  memory: "#8b5cf6",
  rare: "#f59e0b",
  word: "#0ea5e9",
  newline: "#10b981",
  punct: "#f43f5e",
  rest: "#78716c",
};

const keep = (b: never) => b as ErrorAnalysis;

export function ErrorBreakdown({ models }: { models: string[] }) {
  const all = models.map((m) => ({ model: m, s: useFetched(`/api/models/${encodeURIComponent(m)}/errors`, keep) }));
  const done = all.filter((x): x is { model: string; s: Extract<Fetched<ErrorAnalysis>, { status: "done" }> } => x.s.status === "done").map((x) => x.s.value);
  const scale = Math.max(1e-9, ...done.map((a) => a.nats), ...done.map((a) => a.ngram.bestNats));
  const first = done[0];
  return (
    <div className="space-y-3" data-testid="error-breakdown">
      <ul className="space-y-2">
        {all.map(({ model, s }) => (
          <li key={model} className="grid grid-cols-1 gap-1 sm:grid-cols-[12rem_minmax(0,1fr)] sm:items-center" data-testid="error-model">
            <Link href={modelHref(model)} className="truncate font-mono text-sm underline">
              {model}
            </Link>
            {s.status === "loading" ? (
              <span className="text-xs text-stone-500">Counting the training text&apos;s n-grams and sorting its errors (seconds the first time)…</span>
            ) : s.status === "failed" ? (
              <span className="text-xs text-red-800">Could not analyze: {s.message}</span>
            ) : (
              <Bar a={s.value} scale={scale} />
            )}
          </li>
        ))}
      </ul>
      {first && (
        <>
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="error-table">
              <thead>
                <tr className="text-left text-xs text-stone-500">
                  <th className="pr-3 font-normal">characters</th>
                  {done.map((a) => (
                    <th key={a.model} className="pr-3 text-right font-mono font-normal" colSpan={2}>
                      {a.model}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {[{ key: "right", label: "right (p ≥ 0.5)", about: "the model gave them at least even odds" }, ...first.categories].map((c) => (
                  <tr key={c.key} className="border-t border-stone-100" data-testid="error-row">
                    <th scope="row" className="py-0.5 pr-3 text-left font-normal" title={c.about}>
                      <span className="mr-1 inline-block h-2.5 w-2.5 rounded-sm align-middle" style={{ backgroundColor: COLORS[c.key] }} aria-hidden="true" />
                      {c.label}
                      <span className="hidden text-xs text-stone-500 md:inline"> · {c.about}</span>
                    </th>
                    {done.map((a) => {
                      const part = c.key === "right" ? { ...a.right, worst: [] as number[] } : a.categories.find((x) => x.key === c.key)!;
                      return [
                        <td key={`${a.model}n`} className="num pr-1 text-right" title={`${pct(part.chars / a.chars)} of the characters`}>
                          {fixed(part.nats, 3)}
                        </td>,
                        <td key={`${a.model}w`} className="pr-3 text-right text-xs whitespace-nowrap text-stone-500">
                          {pct(part.chars / a.chars)}
                          {a.viewUnit &&
                            part.worst.map((q, i) => (
                              <Link key={q} href={cellHref(a.model, a.viewUnit!, { at: q })} className="ml-1 underline" title={`its ${i === 0 ? "worst" : "next worst"} character, offset ${q}`}>
                                {i === 0 ? "worst" : i + 1}
                              </Link>
                            ))}
                        </td>,
                      ];
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="text-xs text-stone-500" data-testid="error-ngram">
            Nats per character of the whole recording; an error is a character given under 0.5. Character n-grams of the training split on the same text: the best n ({first.ngram.bestN}) scores {fixed(first.ngram.bestNats, 3)}, n = 20{" "}
            {fixed(first.ngram.nats[19], 3)}, and the oracle that picks the best n for each character with hindsight {fixed(first.ngram.oracleNats, 3)}.
            {first.paper && (
              <>
                {" "}
                The paper, on its own split of {first.corpus} (so not directly comparable): its best LSTM {first.paper.model}, its 20-gram {first.paper.ngram}.
              </>
            )}
          </p>
        </>
      )}
    </div>
  );
}

function Bar({ a, scale }: { a: ErrorAnalysis; scale: number }) {
  const parts = [{ key: "right", label: "right", nats: a.right.nats }, ...a.categories];
  return (
    <span className="flex items-center gap-2">
      <span className="flex h-4 flex-1 overflow-hidden rounded-sm bg-stone-50" role="img" aria-label={`${a.model}: ${fixed(a.nats, 3)} nats/char, ${parts.map((p) => `${p.label} ${fixed(p.nats, 3)}`).join(", ")}`}>
        {parts.map((p) => (
          <span key={p.key} style={{ width: `${((p.nats / scale) * 100).toFixed(2)}%`, backgroundColor: COLORS[p.key] }} title={`${p.label}: ${fixed(p.nats, 3)} nats/char`} />
        ))}
      </span>
      <span className="num w-12 text-right text-xs" data-testid="error-total">
        {fixed(a.nats, 3)}
      </span>
    </span>
  );
}
