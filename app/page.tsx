/**
 * Home: the corpora and models in the store, and a gallery of each model's detectors.
 * Its links do not prefetch: every target is a dynamic page, so a prefetch saves the
 * click little and cost the server 41 requests per visit (71 after scrolling).
 */
import Link from "next/link";
import { connection } from "next/server";
import { listCorpora, listModels, type CorpusSummary, type ModelSummary } from "@/lib/models/list-models.ts";
import { listDetectors, type DetectorPreview } from "@/lib/models/get-model.ts";
import { SIGNALS, signalFits } from "@/lib/search/signals.ts";
import { isClearDetector } from "@/lib/search/strength.ts";
import { cellHref, modelHref, searchHref } from "@/lib/ui/urls.ts";
import { Snippet } from "./_components/Snippet.tsx";
import { compact, fixed, int, signed } from "./_components/format.ts";

interface Store {
  corpora: CorpusSummary[];
  models: ModelSummary[];
  detectors: DetectorPreview[];
}

/** Everything the page shows, or null when the database can't be read (e.g. not migrated). */
async function readStore(): Promise<Store | null> {
  await connection(); // read the database per request, not at build time
  try {
    const [corpora, models, detectors] = await Promise.all([listCorpora(), listModels(), listDetectors()]);
    return { corpora, models, detectors };
  } catch (e) {
    console.error(e);
    return null;
  }
}

/**
 * The detectors worth a card: units that track a signal clearly, for signals
 * made for the model's kind of text, per model, its own kind's signals before
 * the any-text ones (the quote cell before the whitespace cell).
 */
function galleryOf(store: Store | null): DetectorPreview[] {
  if (!store) return [];
  const corpusOf = new Map(store.models.map((m) => [m.id, m.corpus]));
  const generic = (signal: string) => (SIGNALS.find((s) => s.name === signal)?.for === "any" ? 1 : 0);
  return store.detectors
    .filter((d) => isClearDetector(d) && signalFits(d.signal, corpusOf.get(d.model) ?? ""))
    .sort((a, b) => a.model.localeCompare(b.model) || generic(a.signal) - generic(b.signal) || a.signal.localeCompare(b.signal));
}

const describe = (signal: string) => SIGNALS.find((s) => s.name === signal)?.description ?? signal;
const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;

export default async function Home() {
  const store = await readStore();
  const shown = galleryOf(store);
  const hidden = (store?.detectors.length ?? 0) - shown.length;
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
            <div className="overflow-x-auto rounded-md border border-stone-200 bg-white">
              <table className="w-full min-w-[36rem] text-sm" data-testid="models-table">
                <thead className="bg-stone-50 text-left text-xs text-stone-500">
                  <tr>
                    <th className="px-3 py-2 font-normal">model</th>
                    <th className="px-3 py-2 text-right font-normal">test loss</th>
                    <th className="px-3 py-2 font-normal">size</th>
                    <th className="px-3 py-2 font-normal">corpus</th>
                    <th className="px-3 py-2 text-right font-normal">recorded</th>
                    <th className="px-3 py-2 font-normal" />
                  </tr>
                </thead>
                <tbody>
                  {store.models.map((m) => (
                    <tr key={m.id} className="border-t border-stone-100">
                      <td className="px-3 py-2">
                        <Link prefetch={false} href={modelHref(m.id)} className="font-mono font-semibold whitespace-nowrap underline decoration-stone-300 hover:decoration-stone-800">
                          {m.id}
                        </Link>
                      </td>
                      <td className="num px-3 py-2 text-right whitespace-nowrap">{m.testBitsPerChar === null ? "—" : `${m.testBitsPerChar.toFixed(3)} bits/char`}</td>
                      <td className="px-3 py-2">
                        {m.layers} × {m.hidden} {m.cell.toUpperCase()} · {compact(m.params)} params
                      </td>
                      <td className="px-3 py-2 font-mono">{m.corpus}</td>
                      <td className="num px-3 py-2 text-right">{m.recording ? `${int(m.recording.chars)} chars` : "not yet"}</td>
                      <td className="px-3 py-2 text-right">
                        <Link prefetch={false} href={searchHref(m.id)} className="text-xs underline">
                          search
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section aria-labelledby="detectors-title">
            <h2 id="detectors-title" className="panel-title">
              Detectors — the best unit of each model for each built-in signal
            </h2>
            {store.detectors.length === 0 ? (
              <p className="text-sm text-stone-500">None found yet: cellscope setup finds them after recording.</p>
            ) : (
              <ul className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-3" data-testid="detector-gallery">
                {shown.map((d) => (
                  <li key={`${d.model}/${d.signal}`} className="panel space-y-1" data-testid="detector-card">
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
                ))}
              </ul>
            )}
            {hidden > 0 && (
              <p className="mt-2 text-xs text-stone-500" data-testid="hidden-detectors">
                Not shown: {hidden} more, for signals made for another kind of text or that no unit tracks clearly (|r| &lt; 0.3 and AUC within 0.3 of chance). Each model
                page lists every signal with its best unit.
              </p>
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
