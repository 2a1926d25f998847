/**
 * Home: the models, each model's famous detectors first (the rest behind "all signals"), and the corpora.
 * Its links do not prefetch: every target is a dynamic page, so a prefetch saves the
 * click little and cost the server 41 requests per visit (71 after scrolling).
 */
import Link from "next/link";
import { connection } from "next/server";
import { listCorpora, listModels, type CorpusSummary, type ModelSummary } from "@/lib/cells/list-models.ts";
import { listUnrecordedModels, type UnrecordedModel } from "@/lib/cells/list-unrecorded-models.ts";
import { listDetectors, type DetectorPreview } from "@/lib/cells/get-model.ts";
import { countInterpretableUnits } from "@/lib/cells/list-interpretable-units.ts";
import { groupFamousDetectors, isFamousDetector } from "@/lib/search/famous.ts";
import { SIGNALS, signalFits } from "@/lib/search/signals.ts";
import { isClearDetector } from "@/lib/search/strength.ts";
import { cellHref, corpusHref, modelHref, searchHref } from "@/lib/ui/urls.ts";
import { Snippet } from "./_components/Snippet.tsx";
import { compact, fixed, int, pct, signed } from "./_components/format.ts";

interface Store {
  corpora: CorpusSummary[];
  models: ModelSummary[];
  detectors: DetectorPreview[];
  interpretable: Awaited<ReturnType<typeof countInterpretableUnits>>;
  unrecorded: UnrecordedModel[];
}

/** Everything the page shows, or null when the database can't be read (e.g. not migrated). */
async function readStore(): Promise<Store | null> {
  await connection(); // read the database per request, not at build time
  try {
    const [corpora, models, detectors] = await Promise.all([listCorpora(), listModels(), listDetectors()]);
    const interpretable = await countInterpretableUnits(models.filter((m) => m.recording).map((m) => m.id));
    const unrecorded = listUnrecordedModels(new Set(models.filter((m) => m.recording).map((m) => m.id)));
    return { corpora, models, detectors, interpretable, unrecorded };
  } catch (e) {
    console.error(e);
    return null;
  }
}

/**
 * The gallery: each model's famous detectors (lib/search/famous.ts) lead;
 * "all signals" holds the other units that track a signal clearly, for
 * signals made for the model's kind of text, per model, its own kind's
 * signals before the any-text ones.
 */
function galleryOf(store: Store | null) {
  if (!store) return { famous: [], rest: [], hidden: 0 };
  const corpusOf = new Map(store.models.map((m) => [m.id, m.corpus]));
  // The paper's cells are char models' cells: a captioner's decoder keeps its detectors on its own page.
  const charModels = new Set(store.models.filter((m) => m.kind !== "captioner").map((m) => m.id));
  const detectors = store.detectors.filter((d) => charModels.has(d.model));
  const famous = groupFamousDetectors(detectors, corpusOf);
  const generic = (signal: string) => (SIGNALS.find((s) => s.name === signal)?.for === "any" ? 1 : 0);
  const rest = detectors
    .filter((d) => !isFamousDetector(d, corpusOf) && isClearDetector(d) && signalFits(d.signal, corpusOf.get(d.model) ?? ""))
    .sort((a, b) => a.model.localeCompare(b.model) || generic(a.signal) - generic(b.signal) || a.signal.localeCompare(b.signal));
  const shown = rest.length + famous.reduce((n, g) => n + g.detectors.length, 0);
  return { famous, rest, hidden: detectors.length - shown };
}

const describe = (signal: string) => SIGNALS.find((s) => s.name === signal)?.description ?? signal;
const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;

/** One detector: its signal, score, unit and a tiny preview colored by the unit. */
function DetectorCard({ d }: { d: DetectorPreview }) {
  return (
    <li className="panel min-w-0 space-y-1" data-testid="detector-card" data-signal={d.signal}>
      <div className="flex items-baseline justify-between gap-2">
        <Link prefetch={false} href={searchHref(d.model, { signal: d.signal })} className="truncate font-mono text-[13px] font-semibold underline decoration-stone-300" title={describe(d.signal)}>
          {d.signal}
        </Link>
        <span className="num shrink-0 text-xs text-stone-500" data-testid="detector-score">
          r {signed(d.r, 2)}
          {d.auc !== null && ` · AUC ${fixed(d.auc, 2)}`}
        </span>
      </div>
      <p className="truncate text-xs text-stone-500">{describe(d.signal)}</p>
      <p className="text-xs">
        <Link prefetch={false} href={cellHref(d.model, d.unit)} className="font-mono underline" data-testid="detector-unit">
          {d.model} · {d.unit}
        </Link>
        {d.label && <span className="ml-1 text-stone-500">“{d.label}”</span>}
      </p>
      {d.preview && <Snippet snippet={d.preview} kind={d.unit[0]} scale="rb" href={cellHref(d.model, d.unit, { at: d.preview.mark[0] })} label={`${d.unit} at offset ${d.preview.mark[0]}`} />}
    </li>
  );
}

/** A model as a card (a table would scroll sideways on a phone and hide its links). */
function ModelCard({ m, interpretable }: { m: ModelSummary; interpretable?: { units: number; interpretable: number; scored: boolean } }) {
  const captioner = m.kind === "captioner";
  return (
    <li className="panel min-w-0 space-y-1 text-sm" data-testid="model-card">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <Link prefetch={false} href={modelHref(m.id)} className="font-mono font-semibold underline decoration-stone-300 hover:decoration-stone-800">
          {m.id}
        </Link>
        <span className="num text-stone-700">{captioner ? "captioner" : m.testBitsPerChar === null ? "test loss —" : `${m.testBitsPerChar.toFixed(3)} bits/char`}</span>
      </div>
      <p className="text-stone-600">
        <span className="whitespace-nowrap">
          {m.layers} × {m.hidden} {m.cell.toUpperCase()}
        </span>{" "}
        · <span className="whitespace-nowrap">{compact(m.params)} params</span> · corpus{" "}
        <Link prefetch={false} href={corpusHref(m.corpus)} className="font-mono underline decoration-stone-300 hover:decoration-stone-800" title={`The models of ${m.corpus} compared`}>
          {m.corpus}
        </Link>
      </p>
      <p className="num text-xs text-stone-500">
        {!m.recording ? "not recorded yet" : captioner ? `its word-level decoder, recorded over test captions (${int(m.recording.chars)} characters)` : `${int(m.recording.chars)} test characters recorded`}
      </p>
      {interpretable?.scored && (
        <p className="text-xs text-stone-600" data-testid="interpretable-share">
          <Link prefetch={false} href={`${modelHref(m.id)}#interpretable`} className="underline decoration-stone-300 hover:decoration-stone-700">
            <strong className="num">{pct(interpretable.interpretable / Math.max(1, interpretable.units))}</strong> of its units track something nameable
          </Link>{" "}
          <span className="num text-stone-500">
            ({int(interpretable.interpretable)} of {int(interpretable.units)})
          </span>
        </p>
      )}
      <p className="flex flex-wrap gap-x-3 text-xs">
        <Link prefetch={false} href={modelHref(m.id)} className="underline">
          unit map
        </Link>
        <Link prefetch={false} href={searchHref(m.id)} className="underline">
          search
        </Link>
        {captioner ? (
          <Link prefetch={false} href="/captioning" className="underline">
            caption a scene
          </Link>
        ) : (
          <Link prefetch={false} href={`/models/${encodeURIComponent(m.id)}/sample`} className="underline">
            sample
          </Link>
        )}
      </p>
    </li>
  );
}

export default async function Home() {
  const store = await readStore();
  const gallery = galleryOf(store);
  return (
    <main className="mx-auto max-w-6xl space-y-8 px-4 py-8">
      <header className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight text-balance sm:text-3xl">Cellscope — a microscope for the cells of recurrent networks</h1>
        <p className="max-w-3xl text-stone-600">
          Character-level LSTMs trained on War and Peace, the Linux kernel and LaTeX, recorded at every character. Pick a model to see its units, open a cell to watch it fire along
          the text (−1 red … +1 blue), or search for the units that track a pattern.
        </p>
        {store && (
          <p className="text-sm text-stone-500" data-testid="store-summary">
            {n(store.corpora.length, "corpus", "corpora")} · {n(store.models.length, "model", "models")}
          </p>
        )}
        <div className="flex flex-wrap items-center gap-2">
          <form action="/labels" method="get" role="search" className="flex items-center gap-1">
            <label htmlFor="home-label-q" className="sr-only">
              Find units by label or note
            </label>
            <input id="home-label-q" name="q" className="field w-52 font-sans sm:w-64" placeholder="find units by label, e.g. quote" autoComplete="off" />
            <button type="submit" className="btn">
              Find
            </button>
          </form>
          <Link prefetch={false} href="/collections" className="btn">
            Collections
          </Link>
        </div>
      </header>

      {store && store.unrecorded.length > 0 && (
        <section aria-labelledby="unrecorded-title" className="panel" data-testid="unrecorded-models">
          <h2 id="unrecorded-title" className="panel-title">
            Not recorded yet
          </h2>
          <p className="mb-2 text-sm text-stone-600">These models are in the models folder but not in the store. Record each (or restart <code className="font-mono">npm start</code>, which records them all), then reload.</p>
          <ul className="space-y-1 text-sm">
            {store.unrecorded.map((u) => (
              <li key={u.folder} className="flex flex-wrap items-baseline gap-x-3">
                <span className="font-mono font-semibold">{u.id ?? u.folder}</span>
                {u.summary && <span className="text-stone-500">{u.summary}</span>}
                {u.problem ? <span className="text-red-800">{u.problem}</span> : <code className="rounded bg-stone-100 px-1 font-mono text-xs">npx cellscope record --model {u.folder}</code>}
              </li>
            ))}
          </ul>
        </section>
      )}

      {!store ? (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          The store could not be read. Run <code className="font-mono">npx cellscope setup</code> (it migrates the database and records the models), then reload.
        </p>
      ) : store.models.length === 0 ? (
        <p className="panel text-sm text-stone-600">
          No models yet. Train one with <code className="font-mono">npx cellscope train --corpus warpeace --layers 2 --hidden 128</code>, then run{" "}
          <code className="font-mono">npx cellscope setup</code>.
        </p>
      ) : (
        <>
          <section aria-labelledby="models-title">
            <h2 id="models-title" className="panel-title">
              Models
            </h2>
            <p className="mb-2 text-xs text-stone-500">
              “About 5% of the cells track something a person can name” (CS231n): here, the share of units whose best built-in signal has |r| ≥ 0.5 or an AUC 0.35 from chance.
            </p>
            <ul className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-3" data-testid="models-list">
              {store.models.map((m) => (
                <ModelCard key={m.id} m={m} interpretable={store.interpretable.get(m.id)} />
              ))}
            </ul>
          </section>

          <section aria-labelledby="detectors-title">
            <h2 id="detectors-title" className="panel-title">
              Famous cells — the detectors of the 2015 paper, as set-up found them in each model
            </h2>
            {store.detectors.length === 0 ? (
              <p className="text-sm text-stone-500">None found yet: cellscope setup finds them after recording.</p>
            ) : (
              <div className="space-y-3" data-testid="detector-gallery">
                {gallery.famous.length === 0 && <p className="text-sm text-stone-500">No unit of these models tracks a famous signal clearly; every other signal is below.</p>}
                {gallery.famous.map((g) => (
                  <div key={g.model} data-testid="famous-group">
                    <h3 className="mb-1 font-mono text-sm font-semibold">
                      <Link prefetch={false} href={modelHref(g.model)} className="underline decoration-stone-300 hover:decoration-stone-800">
                        {g.model}
                      </Link>
                    </h3>
                    <ul className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-3" data-testid="famous-detectors">
                      {g.detectors.map((d) => (
                        <DetectorCard key={d.signal} d={d} />
                      ))}
                    </ul>
                  </div>
                ))}
                <details className="group" data-testid="all-signals" open={gallery.famous.length === 0}>
                  <summary className="cursor-pointer text-sm font-medium text-stone-700 underline decoration-stone-300">
                    All signals: {n(gallery.rest.length, "more detector", "more detectors")}
                  </summary>
                  <ul className="mt-2 grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-3">
                    {gallery.rest.map((d) => (
                      <DetectorCard key={`${d.model}/${d.signal}`} d={d} />
                    ))}
                  </ul>
                  {gallery.hidden > 0 && (
                    <p className="mt-2 text-xs text-stone-500" data-testid="hidden-detectors">
                      Not shown: {gallery.hidden} more, for signals made for another kind of text or that no unit tracks clearly (|r| &lt; 0.3 and AUC within 0.3 of chance). Each
                      model page lists every signal with its best unit.
                    </p>
                  )}
                </details>
              </div>
            )}
          </section>

          <section aria-labelledby="corpora-title">
            <h2 id="corpora-title" className="panel-title">
              Corpora
            </h2>
            <ul className="grid grid-cols-1 gap-2 sm:grid-cols-3">
              {store.corpora.map((c) => (
                <li key={c.id} className="panel text-sm">
                  <p className="font-mono font-semibold">{c.id}</p>
                  <p className="num text-stone-600">{int(c.chars)} characters</p>
                  <p className="text-xs text-stone-500">{c.models.length ? `models: ${c.models.join(", ")}` : "no models yet"}</p>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </main>
  );
}
