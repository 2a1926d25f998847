/**
 * The models of one corpus side by side (/corpora/CORPUS): the 2015 paper's
 * Table 1, live. Cell type, size, parameters, test loss, the share of units
 * that track a built-in signal, and each model's best unit per signal.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { NotFoundError } from "@/lib/api/errors.ts";
import { compareCorpusModels } from "@/lib/cells/compare-models.ts";
import { cellHref, decodeUnitParam, modelHref } from "@/lib/ui/urls.ts";
import { Breadcrumbs } from "@/app/_components/Breadcrumbs.tsx";
import { ErrorBreakdown } from "@/app/_components/ErrorBreakdown.tsx";
import { fixed, int, pct, signed } from "@/app/_components/format.ts";

type Params = Promise<{ corpus: string }>;

async function load(params: Params) {
  await connection();
  const corpus = decodeUnitParam((await params).corpus);
  try {
    return await compareCorpusModels(corpus);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const c = await load(params);
  if (!c) return { title: "Not found" };
  const title = `${c.corpus} · models compared`;
  const description = `The ${c.models.length} models of ${c.corpus} side by side: cell type, size, test loss and the units that track each built-in signal.`;
  return { title: { absolute: title }, description, openGraph: { title, description, type: "website", siteName: "Cellscope" } };
}

export default async function CorpusPage({ params }: { params: Params }) {
  const c = await load(params);
  if (!c) notFound();
  // A captioner's decoder reads words from a picture: no loss per character, nothing to run on typed text.
  const charModels = c.models.filter((m) => m.kind === "char");
  const captioners = charModels.length === 0 && c.models.length > 0;
  return (
    <main className="mx-auto max-w-7xl space-y-4 px-4 py-4">
      <Breadcrumbs trail={[{ label: "models", href: "/" }, { label: c.corpus, mono: true }]} />
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">
          The models of <span className="font-mono">{c.corpus}</span>
        </h1>
        {captioners ? (
          <p className="text-sm text-stone-600">
            {int(c.chars)} characters · the canonical captions of test scenes made by code, one a line, as each captioner&apos;s decoder read them (every character of a word
            holds the units after the word). Caption a scene and see the test scores on{" "}
            <Link href="/captioning" className="underline">
              /captioning
            </Link>
            .
          </p>
        ) : (
          <p className="text-sm text-stone-600">
            {int(c.chars)} characters · the 2015 paper compared LSTM, GRU and vanilla RNN cells this way (its Table 1): same data, same split, test loss per character.
          </p>
        )}
      </header>

      <section className="panel overflow-x-auto" aria-labelledby="models-title">
        <h2 id="models-title" className="panel-title">
          Cell types and test loss
        </h2>
        <table className="w-full text-sm" data-testid="corpus-models">
          <thead>
            <tr className="text-left text-xs text-stone-500">
              <th className="py-1 pr-3 font-medium">model</th>
              <th className="py-1 pr-3 font-medium">cell</th>
              <th className="py-1 pr-3 font-medium">layers × units</th>
              <th className="py-1 pr-3 text-right font-medium">parameters</th>
              <th className="py-1 pr-3 text-right font-medium">test nats/char</th>
              <th className="py-1 pr-3 text-right font-medium">bits/char</th>
              <th className="py-1 text-right font-medium">units tracking a signal</th>
            </tr>
          </thead>
          <tbody>
            {c.models.map((m) => (
              <tr key={m.id} className="border-t border-stone-100">
                <td className="py-1 pr-3 font-mono">
                  <Link href={modelHref(m.id)} className="underline">
                    {m.id}
                  </Link>
                </td>
                <td className="py-1 pr-3">{m.cell.toUpperCase()}</td>
                <td className="num py-1 pr-3">
                  {m.layers} × {m.hidden}
                </td>
                <td className="num py-1 pr-3 text-right">{int(m.params)}</td>
                <td className="num py-1 pr-3 text-right">{m.testNats === null ? "—" : fixed(m.testNats, 3)}</td>
                <td className="num py-1 pr-3 text-right">{m.testBitsPerChar === null ? "—" : fixed(m.testBitsPerChar, 3)}</td>
                <td className="num py-1 text-right">{m.interpretable ? `${pct(m.interpretable.interpretable / Math.max(1, m.interpretable.units))} of ${int(m.interpretable.units)}` : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-2 text-sm text-stone-700" data-testid="corpus-finding">
          {captioners
            ? `A captioner's loss is per word, not per character, so this table leaves it out. ${c.models.length < 2 ? "Train another cell type with npx cellscope train-captioner --cell gru|rnn to compare." : ""}`
            : (c.finding ??
              (c.models.length < 2
                ? "Only one model of this corpus so far: train another cell type with npx cellscope train --cell gru|rnn to compare."
                : "These models share one cell type: train a GRU or a vanilla RNN (npx cellscope train --cell gru|rnn) to compare cell types."))}
        </p>
      </section>

      <section className="panel overflow-x-auto" aria-labelledby="detectors-title">
        <h2 id="detectors-title" className="panel-title">
          The best unit for each signal
        </h2>
        <table className="w-full text-sm" data-testid="corpus-detectors">
          <thead>
            <tr className="text-left text-xs text-stone-500">
              <th className="py-1 pr-3 font-medium">signal</th>
              {c.models.map((m) => (
                <th key={m.id} className="py-1 pr-3 font-mono font-medium">
                  {m.id}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {c.signals.map((s) => (
              <tr key={s.signal} className="border-t border-stone-100">
                <td className="py-1 pr-3">
                  <span className="font-mono">{s.signal}</span> <span className="text-xs text-stone-500">{s.description}</span>
                </td>
                {s.best.map((b, i) => (
                  <td key={c.models[i].id} className={`num py-1 pr-3 ${b && !b.clear ? "text-stone-400" : ""}`}>
                    {b ? (
                      <Link href={cellHref(c.models[i].id, b.unit)} className="underline" title={b.clear ? "tracks it clearly" : "its best unit, but it does not track the signal clearly"}>
                        {b.unit} <span className="text-xs">r {signed(b.r, 2)}</span>
                      </Link>
                    ) : (
                      "—"
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-1 text-xs text-stone-500">Grey: the model's best unit for the signal, which does not track it clearly.</p>
      </section>

      {charModels.length > 0 && (
        <section className="panel" aria-labelledby="errors-title">
          <h2 id="errors-title" className="panel-title">
            Where they go wrong
          </h2>
          <ErrorBreakdown models={charModels.map((m) => m.id)} />
        </section>
      )}
    </main>
  );
}
