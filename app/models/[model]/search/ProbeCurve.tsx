"use client";
/**
 * The search page's "How many cells does it take": linear read-outs of the
 * query's signal from the best 1, 2, 4, …, 32 units and from each layer and
 * kind (GET …/probe, lib/search/probe-units.ts), fetched after the page has
 * loaded: a probe fits dozens of read-outs (seconds on a 2×256 model), and the
 * ranking above must not wait on it. Remounted (keyed) when the query changes.
 */
import { useEffect, useState } from "react";
import type { CellProbe } from "@/lib/cells/probe-cells.ts";
import type { ProbeQuery } from "@/lib/search/probe-query.ts";
import { fixed, int, kindLabel } from "@/app/_components/format.ts";

type State = { status: "loading" } | { status: "done"; probe: CellProbe } | { status: "failed"; message: string };

function probeUrl(model: string, q: ProbeQuery): string {
  const p = new URLSearchParams("signal" in q ? { signal: q.signal } : { q: q.regex, mode: q.mode, ...(q.close ? { close: q.close } : {}) });
  return `/api/models/${encodeURIComponent(model)}/probe?${p}`;
}

/** The bar's length: R² from 0 to 1, AUC from chance (0.5) to 1; below those, empty. */
function barFraction(score: number, metric: string): number {
  const f = metric === "AUC" ? (score - 0.5) / 0.5 : score;
  return Number.isFinite(f) ? Math.max(0, Math.min(1, f)) : 0;
}

function Row({ label, title, score, metric, testId }: { label: string; title?: string; score: number; metric: string; testId: string }) {
  return (
    <tr data-testid={testId}>
      <th scope="row" className="pr-2 text-left font-normal break-words sm:whitespace-nowrap" title={title}>
        {label}
      </th>
      <td className="num pr-2 text-right">{fixed(score, 3)}</td>
      {/* On a phone the label needs the width ("best 256 of the 512 tanh(c), the cell state units of layer 0"): the bar gets a quarter. */}
      <td className="w-1/4 min-w-12 sm:w-full sm:min-w-16">
        <div className="h-2.5 rounded-sm bg-stone-100" aria-hidden="true">
          <div className="h-2.5 rounded-sm bg-sky-600" style={{ width: `${(barFraction(score, metric) * 100).toFixed(1)}%` }} />
        </div>
      </td>
    </tr>
  );
}

export function ProbeCurve({ model, query }: { model: string; query: ProbeQuery }) {
  const [s, setS] = useState<State>({ status: "loading" });
  const url = probeUrl(model, query); // the effect's key: the query object is new on every render
  useEffect(() => {
    let live = true;
    fetch(url)
      .then(async (r) => {
        const body = await r.json();
        if (live) setS(r.ok ? { status: "done", probe: body } : { status: "failed", message: body.error?.message ?? `HTTP ${r.status}` });
      })
      .catch((e) => live && setS({ status: "failed", message: String(e) }));
    return () => void (live = false);
  }, [url]);

  return (
    <section className="panel" aria-labelledby="probe-title" data-testid="probe-curve" aria-busy={s.status === "loading"}>
      <h2 id="probe-title" className="panel-title">
        How many cells does it take
      </h2>
      {s.status === "loading" ? (
        <p className="text-sm text-stone-500">Fitting read-outs from the best units and from each layer…</p>
      ) : s.status === "failed" ? (
        <p className="text-sm text-red-800">Could not probe: {s.message}</p>
      ) : s.probe.problem ? (
        <p className="text-sm text-stone-600" data-testid="probe-problem">
          Nothing to probe: {s.probe.problem}.
        </p>
      ) : (
        <>
          <div className="overflow-x-auto">
          <table className="w-full max-w-xl text-sm">
            <thead className="sr-only">
              <tr>
                <th>Read-out from</th>
                <th>{s.probe.metric}</th>
                <th>Bar</th>
              </tr>
            </thead>
            <tbody>
              {s.probe.curve.map((p) => (
                <Row key={p.k} label={p.k === 1 ? `best unit (${p.units[0]})` : `best ${p.k} units`} title={p.units.join(" ")} score={p.score} metric={s.probe.metric} testId="probe-k" />
              ))}
              {s.probe.groups.map((g) => (
                <Row key={`${g.layer}:${g.kind}`} label={g.units < g.of ? `best ${int(g.units)} of the ${int(g.of)} ${kindLabel(g.kind)} units of layer ${g.layer}` : `all ${int(g.units)} ${kindLabel(g.kind)} units of layer ${g.layer}`} score={g.score} metric={s.probe.metric} testId="probe-group" />
              ))}
            </tbody>
          </table>
          </div>
          <p className="mt-1 text-xs text-stone-500">
            {s.probe.method === "ridge" ? "Ridge" : "Logistic"} read-outs trained on the first {int(s.probe.trainChars)} characters ({int(s.probe.trainRows)} of them, evenly spaced), scored by{" "}
            {s.probe.metric === "AUC" ? "AUC (0.5 is chance)" : "R² (0 is no better than the mean; it can go below)"} on the last {int(s.probe.testChars)}. Best units by |r| on the training part. A curve that keeps rising past the best unit means the signal is spread over many cells.
          </p>
        </>
      )}
    </section>
  );
}
