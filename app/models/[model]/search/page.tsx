/**
 * The search page: rank every unit of a model against a regular expression
 * (?q=…&mode=…&close=…) or a built-in signal (?signal=…). Invalid patterns
 * are explained inline; "no matches" and "matches everything" are said as such.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { InputError } from "@/lib/api/errors.ts";
import { DEFAULT_LIMIT, parseSearchParams, searchCells, type CellSearch } from "@/lib/cells/search-cells.ts";
import { getModelOrNotFound } from "../get-model-or-not-found.ts";
import { RegexError, REGEX_MODES } from "@/lib/search/regex.ts";
import { defaultSignal } from "@/lib/search/default-signal.ts";
import { SIGNAL_KINDS, SIGNALS } from "@/lib/search/signals.ts";
import { CONSTANT_STD } from "@/lib/api/limits.ts";
import { pageMeta } from "@/lib/ui/page-meta.ts";
import { cellHref, decodeUnitParam, first, modelHref, parseScale, searchHref, type SearchParamsRecord } from "@/lib/ui/urls.ts";
import { CopyLink } from "@/app/_components/CopyLink.tsx";
import { EmbedSnippet } from "@/app/_components/EmbedSnippet.tsx";
import { Legends } from "@/app/_components/Legend.tsx";
import { SlashFocus } from "@/app/_components/SlashFocus.tsx";
import { Snippet } from "@/app/_components/Snippet.tsx";
import { fixed, int, pct, signed } from "@/app/_components/format.ts";
import { SearchForm } from "./SearchForm.tsx";
import { searchViewOf } from "./search-view.ts";
import { SignalPicker } from "./SignalPicker.tsx";
import { ProbeCurve } from "./ProbeCurve.tsx";
import { EffectRanking } from "./EffectRanking.tsx";

type Params = Promise<{ model: string }>;

const MODE_HELP: Record<string, string> = {
  inside: "on every character inside a match",
  start: "on the first character of each match",
  end: "on the last character of each match",
  after: "from the end of a match to the end of its line",
  depth: "matches minus matches of the close pattern so far (nesting depth)",
};

export async function generateMetadata({ params, searchParams }: { params: Params; searchParams: Promise<SearchParamsRecord> }): Promise<Metadata> {
  const id = decodeUnitParam((await params).model);
  const sp = await searchParams;
  const signal = first(sp, "signal"), q = first(sp, "q");
  const what = signal ?? (q ? `/${q.slice(0, 80)}/` : null);
  const description = signal
    ? `Every unit of ${id} ranked by how well it tracks the built-in signal ${signal}: ${SIGNALS.find((s) => s.name === signal)?.description ?? "unknown signal"}.`
    : q
      ? `Every unit of ${id} ranked by how well it tracks the regular expression /${q.slice(0, 80)}/ (mode ${first(sp, "mode") || "inside"}).`
      : `Find the units of ${id} that track a regular expression or a built-in signal.`;
  const from = first(sp, "from"), to = first(sp, "to");
  const stretch = from || to ? ` Over offsets ${from || 0}–${to ? Number(to) - 1 : "the end"} only.` : "";
  return pageMeta([id, "search", what].filter(Boolean).join(" · "), description + stretch);
}

/** Optional stretch of the recording to rank over, in each search form (open when one is set). */
function RangeFields({ form, prefix }: { form: { from: string; to: string }; prefix: string }) {
  return (
    <details open={Boolean(form.from || form.to)} className="text-xs text-stone-600">
      <summary className="cursor-pointer select-none">Only part of the text</summary>
      <div className="mt-1 flex flex-wrap items-end gap-2">
        <label htmlFor={`${prefix}-from`}>
          From offset
          <input id={`${prefix}-from`} name="from" type="number" min={0} step={1} defaultValue={form.from} className="field mt-0.5 block w-28" placeholder="0" data-testid={`${prefix}-from`} />
        </label>
        <label htmlFor={`${prefix}-to`}>
          to (not included)
          <input id={`${prefix}-to`} name="to" type="number" min={1} step={1} defaultValue={form.to} className="field mt-0.5 block w-28" placeholder="the end" data-testid={`${prefix}-to`} />
        </label>
      </div>
    </details>
  );
}

export default async function SearchPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParamsRecord> }) {
  await connection();
  const id = decodeUnitParam((await params).model);
  const corpus = (await getModelOrNotFound(id)).model.corpusId;
  const sp = await searchParams;
  const scale = parseScale(sp);
  const { form, query, error: queryError } = parseSearchParams(sp);
  let result: CellSearch | null = null;
  let error = queryError ?? null;
  if (query) {
    try {
      result = await searchCells(id, query);
    } catch (e) {
      if (e instanceof RegexError || e instanceof InputError) error = e.message;
      else throw e;
    }
  }
  const mode = form.mode || "inside";
  // Links from this view: the same query through searchHref (short URLs), with a change.
  const rankEffect = first(sp, "rank") === "effect";
  const view = { ...searchViewOf((k) => form[k as keyof typeof form] ?? "", scale), rank: rankEffect ? "effect" : undefined };
  // Forms remount when the query changes, so their fields show the new URL's values after a client navigation.
  const formKey = JSON.stringify(form);
  const binary = result && ("signal" in result.query ? SIGNALS.find((s) => s.name === (result!.query as { signal: string }).signal)?.binary : result.query.mode !== "depth");

  return (
    <main className="mx-auto max-w-5xl space-y-4 px-4 py-4">
      <SlashFocus id="search-q" />
      <nav aria-label="Breadcrumb" className="flex flex-wrap gap-1 text-sm text-stone-500">
        <Link href="/" className="hover:underline">
          models
        </Link>
        <span aria-hidden="true">/</span>
        <Link href={modelHref(id, { scale })} className="font-mono hover:underline">
          {id}
        </Link>
        <span aria-hidden="true">/</span>
        <span className="text-stone-800" aria-current="page">
          search
        </span>
      </nav>
      <h1 className="text-xl font-semibold tracking-tight">Which units track this?</h1>

      <div className="grid grid-cols-1 gap-3 md:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <SearchForm key={`q${formKey}`} model={id} scale={scale} role="search" label="Search by regular expression" className="panel space-y-2">
          <h2 className="panel-title">Regular expression</h2>
          <div>
            <label htmlFor="search-q" className="sr-only">
              Pattern
            </label>
            <input id="search-q" name="q" defaultValue={form.q} className="field w-full" placeholder='e.g. "[^"\n]*" or \([^)]*\)' autoComplete="off" spellCheck={false} aria-invalid={error && form.q ? true : undefined} aria-describedby={error ? "search-error" : undefined} />
          </div>
          <div className="flex flex-wrap items-end gap-2">
            <label className="max-w-full min-w-0 text-xs text-stone-600">
              Mode
              <select name="mode" defaultValue={mode} className="field mt-0.5 block w-full max-w-full" data-testid="mode-select">
                {REGEX_MODES.map((m) => (
                  <option key={m} value={m}>
                    {m} — {MODE_HELP[m]}
                  </option>
                ))}
              </select>
            </label>
            <label className="text-xs text-stone-600">
              Close pattern <span className="text-stone-400">(depth mode)</span>
              <input name="close" defaultValue={form.close} className="field mt-0.5 block w-40" placeholder="e.g. \)" autoComplete="off" spellCheck={false} />
            </label>
            <label className="text-xs text-stone-600">
              Rank by
              <select name="sort" defaultValue={form.sort || "r"} className="field mt-0.5 block">
                <option value="r">|r|</option>
                <option value="auc">AUC</option>
              </select>
            </label>
            {scale === "cb" && <input type="hidden" name="scale" value="cb" />}
            <button type="submit" className="btn">
              Rank units
            </button>
          </div>
          <RangeFields form={form} prefix="regex" />
          <p className="text-xs text-stone-500">RE2 syntax (linear time); ^ and $ match at line ends. Press / to focus.</p>
        </SearchForm>

        <SearchForm key={`s${formKey}`} model={id} scale={scale} label="Search by built-in signal" className="panel space-y-2">
          <h2 className="panel-title">Built-in signal</h2>
          <label htmlFor="signal-select" className="sr-only">
            Signal
          </label>
          <SignalPicker model={id} chosen={form.signal} fallback={defaultSignal(corpus)}>
            {SIGNAL_KINDS.map((kind) => (
              <optgroup key={kind} label={kind === "any" ? "any text" : kind}>
                {SIGNALS.filter((s) => s.for === kind).map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.name} — {s.description}
                  </option>
                ))}
              </optgroup>
            ))}
          </SignalPicker>
          <RangeFields form={form} prefix="signal" />
          <div className="flex items-center gap-2">
            {scale === "cb" && <input type="hidden" name="scale" value="cb" />}
            <button type="submit" className="btn">
              Rank units
            </button>
          </div>
        </SearchForm>
      </div>

      {error && (
        <p id="search-error" role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="search-error">
          {error}
        </p>
      )}

      {result && (
        <section aria-labelledby="results-title" className="space-y-2">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="results-title" className="text-sm font-semibold">
              {"signal" in result.query ? (
                <>
                  Units ranked against <span className="font-mono">{result.query.signal}</span>
                </>
              ) : (
                <>
                  Units ranked against <span className="font-mono">/{result.query.regex}/</span> ({result.query.mode}
                  {result.query.close ? `, close /${result.query.close}/` : ""})
                </>
              )}
            </h2>
            <span className="flex gap-2">
              <EmbedSnippet path={`/embed${searchHref(id, { ...view, limit: 10, from: undefined, to: undefined })}`} title={`${id} search in Cellscope`} />
              <CopyLink />
            </span>
          </div>
          <p className="text-xs text-stone-600" data-testid="search-summary">
            {"regex" in result.query ? `${int(result.matches)} matches` : binary ? `${int(result.matches)} stretches on` : `${int(result.matches)} characters non-zero`} · on at {pct(result.coverage)} of characters
            {result.range[0] > 0 || result.range[1] < result.chars ? (
              <>
                {" · "}
                <span data-testid="search-range">
                  over offsets {int(result.range[0])}–{int(result.range[1] - 1)} only ({int(result.range[1] - result.range[0])} of {int(result.chars)} characters)
                </span>{" "}
                <Link className="underline" href={searchHref(id, { ...view, from: undefined, to: undefined })}>
                  rank over all
                </Link>
              </>
            ) : null}
            {result.constant > 0 && !result.problem && (
              <span data-testid="search-constant">
                {" · "}
                {int(result.constant)} constant {result.constant === 1 ? "unit" : "units"} (std under {CONSTANT_STD}) ranked last
              </span>
            )}{" "}
            · {result.tookMs.toFixed(0)} ms
          </p>
          {result.noTrack && (
            <p role="status" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="search-no-track">
              {result.noTrack[0].toUpperCase() + result.noTrack.slice(1)}. The ranking below is noise.
            </p>
          )}
          {!result.problem && <Legends units={result.results.filter((r) => r.preview).map((r) => r.unit)} scale={scale} />}
          {result.problem ? (
            <p role="status" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="search-problem">
              {result.matches === 0 ? "No matches: " : result.coverage >= 1 ? "Matches everything: " : ""}
              {result.problem}. Nothing to rank.
            </p>
          ) : (
            <ol className="space-y-1.5" data-testid="search-results">
              {result.results.map((r, i) => (
                <li key={r.unit} className="grid grid-cols-[2rem_minmax(0,1fr)] items-center gap-x-2 gap-y-1 rounded border border-stone-200 bg-white p-2 sm:grid-cols-[2rem_9rem_minmax(0,1fr)]">
                  <span className="num text-right text-xs text-stone-400">{i + 1}</span>
                  <span className="flex flex-wrap items-baseline gap-x-2">
                    <Link href={cellHref(id, r.unit, { at: r.preview ? r.preview.mark[0] : undefined, scale })} className="font-mono font-semibold underline" data-testid="result-unit">
                      {r.unit}
                    </Link>
                    <span className="num text-xs text-stone-600">
                      r {signed(r.r, 3)}
                      {r.auc !== undefined && <> · AUC {fixed(r.auc, 3)}</>}
                    </span>
                    {r.caution && (
                      <span className="rounded bg-stone-100 px-1 text-xs text-stone-600" title="Its values barely move over the text ranked: its r rests on a few characters" data-testid="result-caution">
                        {r.caution}
                      </span>
                    )}
                    {r.label && <span className="text-xs text-stone-500">{r.label}</span>}
                  </span>
                  {r.preview ? (
                    <span className="col-span-2 min-w-0 sm:col-span-1">
                      <Snippet snippet={r.preview} kind={r.unit[0]} scale={scale} markStyle="underline" href={cellHref(id, r.unit, { at: r.preview.mark[0], scale })} label={`${r.unit} at offset ${r.preview.mark[0]}`} />
                    </span>
                  ) : (
                    <span />
                  )}
                </li>
              ))}
            </ol>
          )}
          {!result.problem && result.results.length >= (Number(form.limit) || DEFAULT_LIMIT) && (
            <p className="text-xs text-stone-500">
              Showing the top {result.results.length}.{" "}
              <Link className="underline" href={searchHref(id, { ...view, limit: result.results.length * 4 })}>
                Show {result.results.length * 4}
              </Link>
            </p>
          )}
          {!result.problem && (
            // The whole recording, whatever stretch is ranked: a probe splits it into training and test parts itself.
            <ProbeCurve
              key={formKey}
              model={id}
              query={"signal" in result.query ? { signal: result.query.signal } : { regex: result.query.regex, mode: result.query.mode, ...(result.query.close ? { close: result.query.close } : {}) }}
            />
          )}
          {!result.problem && binary && (
            <EffectRanking
              key={`e${formKey}`}
              model={id}
              query={"signal" in result.query ? { signal: result.query.signal } : { regex: result.query.regex, mode: result.query.mode }}
              from={result.query.from}
              to={result.query.to}
              auto={rankEffect}
              startHref={searchHref(id, { ...view, rank: "effect" }) + "#effect-title"}
            />
          )}
        </section>
      )}
    </main>
  );
}
