"use client";
/**
 * The search page's second ranking, "By effect": every unit ranked by how much
 * more loss the characters the query marks get when the unit is knocked out
 * (GET …/effect?stream=1, lib/cells/rank-by-effect.ts). Up to a minute on a
 * 2×256 model, so it starts on request: the button is a link to the same
 * search with rank=effect, which makes the ranking a permalink like any view.
 */
import Link from "next/link";
import { useEffect, useState } from "react";
import type { EffectRanking as Ranking } from "@/lib/cells/rank-by-effect.ts";
import { cellHref, knockoutHref } from "@/lib/ui/urls.ts";
import { fixed, int, signed } from "@/app/_components/format.ts";
import { readNdjson } from "@/app/_components/read-ndjson.ts";

export type EffectQueryFields = { signal: string } | { regex: string; mode: string; close?: string };

type State =
  | { status: "idle" }
  | { status: "running"; done: number; total: number; phase: string; startedAt: number; now: number }
  | { status: "done"; ranking: Ranking }
  | { status: "failed"; message: string };

/** One line of the effect stream: progress, then the result (or an error met on the way). */
type EffectMessage = { progress?: { done: number; total: number; phase: string }; result?: Ranking; error?: { message: string } };

function effectUrl(model: string, q: EffectQueryFields, from?: number, to?: number): string {
  const p = new URLSearchParams("signal" in q ? { signal: q.signal } : { q: q.regex, mode: q.mode });
  if (from) p.set("from", String(from));
  if (to) p.set("to", String(to));
  p.set("stream", "1");
  return `/api/models/${encodeURIComponent(model)}/effect?${p}`;
}

const seconds = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

export function EffectRanking({ model, query, from, to, auto, startHref }: { model: string; query: EffectQueryFields; from?: number; to?: number; auto: boolean; startHref: string }) {
  const [s, setS] = useState<State>({ status: "idle" });
  const url = effectUrl(model, query, from, to);
  useEffect(() => {
    if (!auto) return;
    const ctrl = new AbortController();
    const startedAt = Date.now();
    setS({ status: "running", done: 0, total: 1, phase: "estimate", startedAt, now: startedAt });
    readNdjson<EffectMessage>(
      url,
      (msgs) => {
        for (const msg of msgs) {
          if (msg.progress) setS({ status: "running", ...msg.progress, startedAt, now: Date.now() });
          else if (msg.result) setS({ status: "done", ranking: msg.result });
          else if (msg.error) throw new Error(msg.error.message);
        }
      },
      ctrl.signal,
    ).catch((e: Error) => !ctrl.signal.aborted && setS({ status: "failed", message: e.message }));
    return () => ctrl.abort();
  }, [url, auto]);

  const span = from || to ? `offsets ${from ?? 0}–${to !== undefined ? to - 1 : "…"}` : "the first 20,000 characters";
  return (
    <section className="panel" aria-labelledby="effect-title" data-testid="effect-ranking" aria-busy={s.status === "running"}>
      <h2 id="effect-title" className="panel-title">
        By effect: which units the model uses here
      </h2>
      <p className="max-w-prose text-sm text-stone-600">
        A high r says a unit <em>goes with</em> the pattern. Knocking it out (holding it at 0 at every step) says whether the model <em>uses</em> it: each unit is ranked by how much more loss the marked characters of {span} get without it. Every unit is estimated to first order in one pass; the first ten are then knocked out for real.
      </p>
      {s.status === "idle" &&
        (auto ? null : (
          <Link href={startHref} scroll={false} className="btn mt-2 inline-block" data-testid="effect-start">
            Rank by effect
          </Link>
        ))}
      {s.status === "running" && <Progress s={s} />}
      {s.status === "failed" && (
        <p role="alert" className="mt-2 text-sm text-red-800" data-testid="effect-error">
          Could not rank by effect: {s.message}
        </p>
      )}
      {s.status === "done" && <Table model={model} r={s.ranking} />}
    </section>
  );
}

function Progress({ s }: { s: Extract<State, { status: "running" }> }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const elapsed = Math.max(now, s.now) - s.startedAt;
  const frac = s.total > 0 ? s.done / s.total : 0;
  const rate = s.done > 0 ? s.done / ((s.now - s.startedAt) / 1000) : 0;
  const eta = rate > 0 ? ((s.total - s.done) / rate) * 1000 : NaN;
  return (
    <div className="mt-2 max-w-xl text-sm" data-testid="effect-progress">
      <div className="h-2.5 rounded-sm bg-stone-100" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(frac * 100)} aria-label="Ranking by effect">
        <div className="h-2.5 rounded-sm bg-sky-600 transition-all" style={{ width: `${(frac * 100).toFixed(1)}%` }} />
      </div>
      <p className="mt-1 text-xs text-stone-600">
        {s.phase === "estimate" ? "Estimating every unit" : "Knocking the first units out"} · {Math.round(frac * 100)}% · {seconds(elapsed)}
        {rate > 0 && <> · {rate.toFixed(2)} chunks/s · about {seconds(eta)} left</>}
      </p>
    </div>
  );
}

function Table({ model, r }: { model: string; r: Ranking }) {
  const top = Math.max(1e-9, ...r.units.map((u) => Math.abs(u.exact ?? u.estimate)));
  const to = Math.min(r.to, r.from + 20_000);
  // At 0 an LSTM's c and h units of one index knock out the same thing (h = o·tanh(c)): say so when both appear.
  const twins = r.units.some((u) => u.unit.startsWith("c:") && r.units.some((v) => v.unit === "h" + u.unit.slice(1)));
  return (
    <>
      <p className="mt-2 text-sm text-stone-700" data-testid="effect-summary">
        {int(r.marked)} marked characters in {int(r.from)}–{int(r.to)}
        {r.freeNats !== null && <>, predicted at {fixed(r.freeNats, 3)} nats each with nothing held</>}. {int(r.ranked)} units ranked in {seconds(r.tookMs)}
        {r.cached ? " (cached)" : ""}.
      </p>
      <div className="overflow-x-auto">
        <table className="mt-1 w-full max-w-2xl text-sm">
          <thead>
            <tr className="text-left text-xs text-stone-500">
              <th className="pr-2 font-normal">#</th>
              <th className="pr-2 font-normal">unit</th>
              <th className="pr-2 text-right font-normal" title="Change in loss per marked character when the unit is knocked out, measured">
                knocked out
              </th>
              <th className="pr-2 text-right font-normal" title="The same to first order (the gradient)">
                estimate
              </th>
              <th className="w-full font-normal">
                <span className="sr-only">bar</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {r.units.map((u, i) => {
              const v = u.exact ?? u.estimate;
              return (
                <tr key={u.unit} data-testid="effect-row">
                  <td className="num pr-2 text-xs text-stone-400">{i + 1}</td>
                  <td className="pr-2 whitespace-nowrap">
                    <Link className="font-mono font-semibold underline" href={cellHref(model, u.unit)} data-testid="effect-unit">
                      {u.unit}
                    </Link>{" "}
                    {u.exact !== null && (
                      <Link className="text-xs text-stone-500 underline" href={knockoutHref(model, u.unit, { from: r.from, to })} title="Where it helps: the knock-out map">
                        map
                      </Link>
                    )}
                  </td>
                  <td className="num pr-2 text-right" data-testid="effect-exact">
                    {u.exact === null ? "—" : signed(u.exact, 3)}
                  </td>
                  <td className="num pr-2 text-right text-stone-500">{signed(u.estimate, 3)}</td>
                  <td className="min-w-16">
                    <div className="h-2.5 rounded-sm bg-stone-100" aria-hidden="true">
                      <div className={`h-2.5 rounded-sm ${u.exact === null ? "bg-stone-400" : v >= 0 ? "bg-rose-600" : "bg-sky-600"}`} style={{ width: `${((Math.abs(v) / top) * 100).toFixed(1)}%` }} />
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="mt-1 text-xs text-stone-500">
        Nats per marked character; more loss when knocked out means the model relies on the unit there. Units past the first {r.units.filter((u) => u.exact !== null).length} show the first-order estimate only (grey), which
        overstates saturated memory cells.
        {r.agreement?.pearson != null && <> Estimate against measurement over the units knocked out: r {fixed(r.agreement.pearson, 2)}.</>}
        {twins && r.query.value === "zero" && <> A c and an h unit of one index knock out the same thing at 0 (h = o·tanh(c)).</>}
      </p>
    </>
  );
}
