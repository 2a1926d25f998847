/**
 * The model page: unit map per kind and layer (?stat=) with how many units
 * are alive and saturated, the units a person can name (#interpretable),
 * gate saturation, training curve, detectors.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { InputError, NotFoundError } from "@/lib/api/errors.ts";
import { getModel, listGateStats, listUnitStats, type ModelDetail } from "@/lib/cells/get-model.ts";
import { listInterpretableUnits } from "@/lib/cells/list-interpretable-units.ts";
import { summarizeLayers } from "@/lib/cells/summarize-layers.ts";
import { measureLossByColumn } from "@/lib/cells/loss-by-column.ts";
import { CONSTANT_STD, SATURATED_MEAN } from "@/lib/api/limits.ts";
import { gradientCss, sequentialColor, divergingColor } from "@/lib/ui/color.ts";
import { pageMeta } from "@/lib/ui/page-meta.ts";
import { isDivergingStat, MAP_STAT_INFO, MAP_STATS, parseMapStat } from "@/lib/ui/unit-map.ts";
import { cellHref, corpusHref, decodeUnitParam, first, modelHref, parseScale, searchHref, tryHref, type SearchParamsRecord } from "@/lib/ui/urls.ts";
import { getSignal, signalFits } from "@/lib/search/signals.ts";
import { isClearDetector } from "@/lib/search/strength.ts";
import { LossChart, SaturationPlot } from "@/app/_components/Charts.tsx";
import { SampleTimeline } from "@/app/_components/SampleTimeline.tsx";
import { ColumnChart } from "@/app/_components/ColumnChart.tsx";
import { CopyLink } from "@/app/_components/CopyLink.tsx";
import { UnitGrid } from "@/app/_components/UnitMap.tsx";
import { ErrorBreakdown } from "@/app/_components/ErrorBreakdown.tsx";
import { describeModelUnits } from "@/lib/cells/describe-units.ts";
import { compact, fixed, int, kindLabel, pct, signed } from "@/app/_components/format.ts";
import { isGateKind, kindShort } from "@/lib/model/unit-kinds.ts";

/** "a", "a and b", "a, b and c". */
const listOf = (xs: string[]) => (xs.length < 2 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`);

type Params = Promise<{ model: string }>;

const load = cache(async (id: string): Promise<ModelDetail | null> => {
  try {
    return await getModel(id);
  } catch (e) {
    if (e instanceof NotFoundError || e instanceof InputError) return null;
    throw e;
  }
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  await connection();
  const id = decodeUnitParam((await params).model);
  const m = await load(id);
  if (!m) return { title: "Not found" };
  const title = `${id} · ${m.layers}×${m.hidden} ${m.cell.toUpperCase()} on ${m.corpus}`;
  const description = `${m.layers} layers of ${m.hidden} ${m.cell.toUpperCase()} units trained on ${m.corpus}${m.testBitsPerChar === null ? "" : `, ${m.testBitsPerChar.toFixed(3)} bits/char on its test split`}: every unit on a map, the training curve and the detectors.`;
  return pageMeta(title, description);
}

/** Why a signal's best unit is not shown as a detector in the home gallery, if it isn't. */
function caveatOf(d: { signal: string; r: number; auc: number | null }, corpus: string): { mark: string; why: string } | null {
  if (!signalFits(d.signal, corpus)) return { mark: `for ${getSignal(d.signal).for}`, why: `A signal made for ${getSignal(d.signal).for}, not for this corpus's text` };
  if (!isClearDetector(d)) return { mark: "weak", why: "No unit tracks this signal clearly: |r| < 0.3 and AUC within 0.3 of chance" };
  return null;
}

export default async function ModelPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParamsRecord> }) {
  await connection();
  const id = decodeUnitParam((await params).model);
  const m = await load(id);
  if (!m) notFound();
  const sp = await searchParams;
  const stat = parseMapStat(first(sp, "stat"));
  const scale = parseScale(sp);
  const [units, gates, named, columns, descriptions] = await Promise.all([
    listUnitStats(id),
    listGateStats(id),
    listInterpretableUnits(id),
    measureLossByColumn(id, { width: 10, last: 80, given: " \n" }),
    describeModelUnits(id),
  ]);
  const gateKinds = m.cellKinds.filter(isGateKind);
  const wrap = columns.buckets.filter((b) => b.from >= 70 && b.targets > 0);
  const wrapN = wrap.reduce((a, b) => a + b.targets, 0);
  const wrapMean = (pick: (b: (typeof wrap)[number]) => number) => (wrapN ? wrap.reduce((a, b) => a + b.targets * pick(b), 0) / wrapN : null);
  const wrapNats = wrapMean((b) => b.targetNats!);
  const wrapWord = wrapMean((b) => b.classNats!), wrapLine = wrapMean((b) => b.givenNats!);
  const layers = new Map(summarizeLayers(units).map((l) => [`${l.kind}:${l.layer}`, l]));
  const nameable = [...named.interpretable].sort((a, b) => Math.abs(b.r) - Math.abs(a.r));
  const bySignal = new Map<string, number>();
  for (const u of nameable) bySignal.set(u.signal, (bySignal.get(u.signal) ?? 0) + 1);
  const labels = new Map(m.labels.map((l) => [l.unit, l.label]));
  const kinds = m.recording.kinds;
  // A captioner's decoder: recorded over test captions like a char model over text, but it reads words from a picture, so the views that run it on typed text are not offered.
  const captioner = m.kind === "captioner";

  return (
    <main className="mx-auto max-w-7xl space-y-6 px-4 py-4">
      <nav aria-label="Breadcrumb" className="flex flex-wrap gap-1 text-sm text-stone-500">
        <Link href="/" className="hover:underline">
          models
        </Link>
        <span aria-hidden="true">/</span>
        <span className="font-mono text-stone-800" aria-current="page">
          {id}
        </span>
      </nav>
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="font-mono text-2xl font-semibold tracking-tight">{id}</h1>
          {captioner ? (
            <p className="text-sm text-stone-600" data-testid="captioner-note">
              The word-level decoder of a captioner: {m.layers} × {m.hidden} {m.cell.toUpperCase()} · {compact(m.params)} parameters with its CNN · {m.vocabSize} words. Recorded
              teacher-forced over the canonical caption (objects named left to right) of each of {int(m.captions ?? 0)} test scenes made by code, one caption a line ({int(m.recording.chars)} characters): every character of a word shows the
              units after the decoder read that word; loss {m.recording.nats === null ? "—" : `${fixed(m.recording.nats, 3)} nats/word`}.{" "}
              <Link href="/captioning" className="underline">
                Caption a scene
              </Link>{" "}
              to watch it write.
            </p>
          ) : (
            <>
              <p className="text-sm text-stone-600">
                {m.layers} × {m.hidden} {m.cell.toUpperCase()} · {compact(m.params)} parameters · vocabulary {m.vocabSize} · trained on{" "}
                <Link href={corpusHref(m.corpus)} className="font-mono underline" title={`The models of ${m.corpus} compared`}>
                  {m.corpus}
                </Link>{" "}
                for {fixed(m.training.epochs, 1)} epochs
              </p>
              <p className="text-sm text-stone-600">
                Test loss <strong className="num">{m.testBitsPerChar === null ? "—" : `${m.testBitsPerChar.toFixed(3)} bits/char`}</strong> · recorded {int(m.recording.chars)} characters of the {m.recording.split} split ({kinds.join(", ")})
              </p>
            </>
          )}
          {named.scored && (
            <p className="text-sm text-stone-600">
              <a href="#interpretable" className="underline decoration-stone-300 hover:decoration-stone-700">
                <strong className="num">{pct(nameable.length / Math.max(1, named.units))}</strong> of its units track something a person can name
              </a>{" "}
              <span className="text-stone-500">(the lecture says about 5%)</span>
            </p>
          )}
        </div>
        <div className="flex flex-wrap gap-2">
          <Link href={searchHref(id, { scale })} className="btn">
            Search units
          </Link>
          {captioner ? (
            <Link href="/captioning" className="btn">
              Caption a scene
            </Link>
          ) : (
            <>
              <Link href={`/models/${encodeURIComponent(id)}/sample${scale === "cb" ? "?scale=cb" : ""}`} className="btn">
                Sample
              </Link>
              <Link href={tryHref(id, { scale })} className="btn" prefetch={false} data-testid="try-link">
                Your own text
              </Link>
            </>
          )}
          <CopyLink />
        </div>
      </header>

      <section aria-labelledby="map-title" className="panel">
        <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
          <h2 id="map-title" className="panel-title mb-0">
            Unit map
          </h2>
          <div className="flex flex-wrap items-center gap-1 text-sm" role="group" aria-label="Color units by">
            <span className="text-xs text-stone-500">color by</span>
            {MAP_STATS.map((s) => (
              <Link key={s} href={modelHref(id, { stat: s, scale })} className="btn py-0.5 font-mono text-xs" aria-current={s === stat ? "true" : undefined} title={MAP_STAT_INFO[s]} scroll={false}>
                {s}
              </Link>
            ))}
            <Link href={modelHref(id, { stat, scale: scale === "cb" ? "rb" : "cb" })} className="btn py-0.5 text-xs" scroll={false}>
              {scale === "cb" ? "red–blue" : "orange–purple"}
            </Link>
          </div>
        </div>
        <p className="mb-2 flex flex-wrap items-center gap-2 text-xs text-stone-600" data-testid="map-legend">
          <span>{MAP_STAT_INFO[stat]}:</span>
          <span>{isDivergingStat(stat) ? "low" : stat === "std" || stat === "signal" ? "0" : "0%"}</span>
          <span className="h-3 w-32 rounded-sm border border-stone-300" style={{ background: gradientCss((t) => (isDivergingStat(stat) ? divergingColor(2 * t - 1, scale) : sequentialColor(t, scale))) }} />
          <span>{isDivergingStat(stat) ? "high" : stat === "std" ? "largest in its row" : stat === "signal" ? "1" : "100%"}</span>
          <span className="text-stone-400">· outlined: labelled units</span>
          <span className="text-stone-400">
            · <span className="mr-0.5 inline-block h-2.5 w-2.5 rounded-[2px] border border-stone-300 bg-stone-400 align-middle" /> grey: constant (std &lt; {CONSTANT_STD}), whatever the statistic
          </span>
        </p>
        <div className="space-y-3">
          {kinds.map((k) =>
            Array.from({ length: m.layers }, (_, layer) => {
              const group = units.filter((u) => u.kind === k && u.layer === layer);
              const sum = layers.get(`${k}:${layer}`);
              return (
                <div key={`${k}:${layer}`} data-testid={`unit-map-${k}-${layer}`}>
                  <h3 className="mb-1 text-xs text-stone-600">
                    <span className="font-mono font-semibold">
                      {k}:{layer}
                    </span>{" "}
                    — {kindLabel(k)}, layer {layer}
                    {sum && (
                      <>
                        {" "}
                        ·{" "}
                        <span className="num" data-testid="alive-count">
                          {int(sum.alive)} of {int(sum.units)} alive
                        </span>
                        {sum.saturated !== null && (
                          <>
                            {" "}
                            ·{" "}
                            <span className="num" data-testid="saturated-count" title={`tanh(c) units whose mean is beyond ±${SATURATED_MEAN}: pinned at one end nearly all the time`}>
                              {pct(sum.saturated / Math.max(1, sum.units), 0)} saturated ({int(sum.saturated)} with |mean| &gt; {SATURATED_MEAN})
                            </span>
                          </>
                        )}
                      </>
                    )}
                  </h3>
                  <UnitGrid model={id} units={group} stat={stat} scale={scale} labels={labels} descriptions={descriptions} />
                </div>
              );
            }),
          )}
        </div>
      </section>

      <section aria-labelledby="interpretable-title" id="interpretable" className="panel scroll-mt-4" data-testid="interpretable">
        <h2 id="interpretable-title" className="panel-title">
          Units a person can name
        </h2>
        {!named.scored ? (
          <p className="text-sm text-stone-500">Not scored yet: cellscope setup scores every unit against the built-in signals.</p>
        ) : (
          <>
            <p className="mb-2 text-sm text-stone-600" data-testid="interpretable-summary">
              <strong className="num">
                {int(nameable.length)} of {int(named.units)} units ({pct(nameable.length / Math.max(1, named.units))})
              </strong>{" "}
              track a built-in signal made for this text with |r| ≥ 0.5, or an AUC at least 0.35 from chance; the lecture says about 5% of cells track something a person can
              name. Units that barely move are left out.
              {bySignal.size > 0 && (
                <span className="mt-1 block text-xs text-stone-500">
                  By best signal: {[...bySignal].sort((a, b) => b[1] - a[1]).map(([sig, k]) => `${sig} ${k}`).join(" · ")}
                </span>
              )}
            </p>
            {nameable.length > 0 && (
              <div className="max-h-96 overflow-y-auto">
                <table className="w-full text-sm" data-testid="interpretable-list">
                  <thead className="sticky top-0 bg-white">
                    <tr className="text-left text-xs text-stone-500">
                      <th className="font-normal">unit</th>
                      <th className="font-normal">best signal</th>
                      <th className="text-right font-normal">r</th>
                      <th className="text-right font-normal">AUC</th>
                    </tr>
                  </thead>
                  <tbody>
                    {nameable.map((u) => (
                      <tr key={u.unit} className="border-t border-stone-100">
                        <td className="py-0.5 pr-2">
                          <Link href={cellHref(id, u.unit, { scale })} className="font-mono underline" prefetch={false}>
                            {u.unit}
                          </Link>
                          {u.label && <span className="ml-1 text-xs text-stone-500">{u.label}</span>}
                        </td>
                        <td className="pr-2">
                          <Link href={searchHref(id, { signal: u.signal, scale })} className="font-mono text-[13px] break-all underline decoration-stone-300" prefetch={false}>
                            {u.signal}
                          </Link>
                        </td>
                        <td className="num text-right">{signed(u.r, 2)}</td>
                        <td className="num text-right">{u.auc === null ? "" : fixed(u.auc, 2)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </section>

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <section aria-labelledby="curve-title" className="panel">
          <h2 id="curve-title" className="panel-title">
            Training curve
          </h2>
          <LossChart train={m.training.history.train} valid={m.training.history.valid} per={captioner ? "word" : "char"} />
          <p className="mt-1 text-xs text-stone-500">
            {int(m.training.iterations)} iterations in {Math.round(m.training.seconds / 60)} min ·{" "}
            {captioner ? (
              <>
                mean training loss per word by epoch;{" "}
                <Link href="/captioning" className="underline">
                  /captioning
                </Link>{" "}
                gives its true-caption rate
              </>
            ) : (
              <>best validation {m.training.bestValidNats === null ? "—" : `${(m.training.bestValidNats / Math.LN2).toFixed(3)} bits/char`}</>
            )}
          </p>
        </section>

        {!captioner && (
        <section aria-labelledby="samples-title" className="panel lg:col-span-2" data-testid="training-samples">
          <h2 id="samples-title" className="panel-title">
            Samples over training
          </h2>
          <p className="mb-2 text-xs text-stone-500">200 characters drawn with the same seed and prime at each moment: only the weights changed.</p>
          <SampleTimeline samples={m.training.samples} />
        </section>
        )}

        {!captioner && (
        <section aria-labelledby="columns-title" className="panel" data-testid="columns">
          <h2 id="columns-title" className="panel-title">
            Where lines end
          </h2>
          <ColumnChart data={columns} />
          <p className="mt-1 text-xs text-stone-500" data-testid="wrap-summary">
            {wrapNats === null
              ? "No newline at column 70 or later in the recording."
              : `${int(wrapN)} newlines at column 70 or later cost ${fixed(wrapNats, 2)} nats each (probability ${fixed(Math.exp(-wrapNats), 2)} by their mean loss). A hard-wrapped text such as War and Peace breaks there nearly always: a model that knows the column finds those newlines almost free.`}
            {wrapNats !== null && wrapWord !== null && wrapLine !== null && (
              <span data-testid="wrap-split">{` Of each, ${fixed(wrapWord, 2)} nats is for not knowing the word ends there, and ${fixed(wrapLine, 2)} for a newline rather than a space.`}</span>
            )}{" "}
            <code className="font-mono">npx cellscope columns --model {id}</code> prints the table.
          </p>
        </section>
        )}

        {!captioner && (
        <section aria-labelledby="errors-title" className="panel lg:col-span-2" data-testid="errors">
          <h2 id="errors-title" className="panel-title">
            Where it goes wrong
          </h2>
          <ErrorBreakdown models={[id]} />
          <p className="mt-1 text-xs text-stone-500">
            The 2015 paper&apos;s section 4: each error goes to the first category that holds. Side by side with the other models of {m.corpus}:{" "}
            <Link className="underline" href={`${corpusHref(m.corpus)}#errors-title`}>
              {corpusHref(m.corpus)}
            </Link>
            . <code className="font-mono">npx cellscope errors --model {id}</code> prints it.
          </p>
        </section>
        )}

        <section aria-labelledby="detectors-title" className="panel">
          <h2 id="detectors-title" className="panel-title">
            Detectors
          </h2>
          {m.detectors.length === 0 ? (
            <p className="text-sm text-stone-500">No detectors found yet (cellscope setup finds them).</p>
          ) : (
            <table className="w-full text-sm" data-testid="detectors">
              <thead>
                <tr className="text-left text-xs text-stone-500">
                  <th className="font-normal">signal</th>
                  <th className="font-normal">best unit</th>
                  <th className="text-right font-normal">r</th>
                  <th className="text-right font-normal">AUC</th>
                </tr>
              </thead>
              <tbody>
                {m.detectors.map((d) => (
                  <tr key={d.signal} className={`border-t border-stone-100 ${caveatOf(d, m.corpus) ? "text-stone-400" : ""}`} title={caveatOf(d, m.corpus)?.why}>
                    <td className="py-1 pr-2">
                      <Link href={searchHref(id, { signal: d.signal, scale })} className="font-mono text-[13px] underline decoration-stone-300 hover:decoration-stone-700">
                        {d.signal}
                      </Link>
                      {caveatOf(d, m.corpus) && (
                        <span className="ml-1 text-xs" data-testid="detector-caveat">
                          {caveatOf(d, m.corpus)!.mark}
                        </span>
                      )}
                    </td>
                    <td className="pr-2">
                      <Link href={cellHref(id, d.unit, { scale })} className="font-mono underline">
                        {d.unit}
                      </Link>
                      {d.label && <span className="ml-1 text-xs text-stone-500">{d.label}</span>}
                    </td>
                    <td className="num text-right">{signed(d.r, 2)}</td>
                    <td className="num text-right">{d.auc === null ? "" : fixed(d.auc, 2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        {!captioner && (
        <section aria-labelledby="sat-title" className="panel" data-testid="gate-saturation">
          <h2 id="sat-title" className="panel-title">
            Gate saturation
          </h2>
          {gates ? (
            <>
              <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
                {Array.from({ length: m.layers }, (_, layer) => (
                  <SaturationPlot key={layer} model={id} layer={layer} units={gates.units.filter((u) => u.layer === layer)} scale={scale} linked={gates.recording.shown} />
                ))}
              </div>
              {!gates.recording.shown && (
                <p className="mt-1 text-xs text-stone-500" data-testid="gate-source">
                  From a separate recording of {int(gates.recording.chars)} characters with the gates; the other views show a recording without them.
                </p>
              )}
            </>
          ) : gateKinds.length === 0 ? (
            <p className="text-sm text-stone-600" data-testid="gates-none">
              A {m.cell} cell has no gates: its only units are {listOf(m.cellKinds.map(kindLabel))}.
            </p>
          ) : (
            <div className="space-y-2 text-sm text-stone-600" data-testid="gates-empty">
              <p>
                <strong className="text-stone-800">No gates recorded for this model yet.</strong> The scatter shows how often each {listOf(gateKinds.map(kindShort))} is shut (&lt; 0.1)
                or wide open (&gt; 0.9). Set-up records only {listOf(m.cellKinds.filter((k) => !isGateKind(k)).map(kindShort))}, to keep the first start short; record the gates over a slice of the test split, then reload:
              </p>
              <pre className="overflow-x-auto rounded border border-stone-200 bg-stone-50 px-2 py-1 font-mono text-xs text-stone-800">
                <code>npx cellscope record --model {id} --gates --chars 50000</code>
              </pre>
              <p className="text-xs text-stone-500">The other views keep showing the full recording.</p>
            </div>
          )}
        </section>
        )}

        {m.labels.length > 0 && (
          <section aria-labelledby="labels-title" className="panel">
            <h2 id="labels-title" className="panel-title">
              Labelled units
            </h2>
            <form action="/labels" method="get" role="search" className="mb-2 flex items-center gap-1">
              <input type="hidden" name="model" value={id} />
              <label htmlFor="model-label-q" className="sr-only">
                Find units of {id} by label or note
              </label>
              <input id="model-label-q" name="q" className="field min-w-0 flex-1 font-sans" placeholder="label or note contains…" autoComplete="off" />
              <button type="submit" className="btn">
                Find
              </button>
            </form>
            <ul className="space-y-1 text-sm">
              {m.labels.map((l) => (
                <li key={l.unit}>
                  <Link href={cellHref(id, l.unit, { scale })} className="font-mono underline">
                    {l.unit}
                  </Link>{" "}
                  {l.label}
                  {l.note && <span className="text-stone-500"> — {l.note}</span>}
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </main>
  );
}
