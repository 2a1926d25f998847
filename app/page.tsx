/** Cellscope's home page (placeholder until the corpus and model views land). */
import { connection } from "next/server";
import { prisma } from "@/lib/db.ts";

/** "2 corpora · 3 models", or null when the database can't be read (e.g. not migrated). */
async function storeSummary(): Promise<string | null> {
  await connection(); // read the database per request, not at build time
  try {
    const [corpora, models] = await Promise.all([prisma.corpus.count(), prisma.model.count()]);
    const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
    return `${n(corpora, "corpus", "corpora")} · ${n(models, "model", "models")}`;
  } catch {
    return null;
  }
}

// A line of text with one "cell" lit up along it, the way the UI will show activations.
const SAMPLE = 'He said, "Well, Prince, so Genoa and Lucca are now just family estates." and smiled.';

/** Splits `text` into runs inside and outside double quotes (the quote marks count as inside). */
function quoteRuns(text: string): { text: string; lit: boolean }[] {
  const runs: { text: string; lit: boolean }[] = [];
  let inQuote = false;
  for (const ch of text) {
    const lit = inQuote || ch === '"';
    if (ch === '"') inQuote = !inQuote;
    const last = runs.at(-1);
    if (last && last.lit === lit) last.text += ch;
    else runs.push({ text: ch, lit });
  }
  return runs;
}

function SampleTrace() {
  return (
    <p aria-hidden="true" className="font-mono text-sm leading-7 break-words sm:text-base">
      {quoteRuns(SAMPLE).map((run, i) => (
        <span
          key={i}
          className={run.lit ? "rounded-sm bg-amber-300/70 dark:bg-amber-500/40" : "text-stone-500"}
        >
          {run.text}
        </span>
      ))}
    </p>
  );
}

export default async function Home() {
  const summary = await storeSummary();
  return (
    <main className="mx-auto flex min-h-screen max-w-3xl flex-col justify-center gap-10 px-6 py-16">
      <header className="space-y-4">
        <p className="text-sm font-medium tracking-widest text-amber-700 uppercase dark:text-amber-400">
          Cellscope
        </p>
        <h1 className="text-4xl font-semibold tracking-tight text-balance sm:text-5xl">
          Cellscope — a microscope for the cells of recurrent networks
        </h1>
        <p className="max-w-2xl text-lg text-pretty text-stone-600 dark:text-stone-400">
          Train character-level LSTMs on War and Peace, the Linux kernel or LaTeX, then look inside:
          find the cells that track quotes, brackets, comments and line length, and watch them fire
          character by character.
        </p>
      </header>

      <figure className="rounded-xl border border-stone-200 bg-white p-5 shadow-sm dark:border-stone-800 dark:bg-stone-900">
        <SampleTrace />
        <figcaption className="mt-3 text-xs text-stone-500">
          What a quote-detecting cell looks like: lit inside the quotation, dark outside.
        </figcaption>
      </figure>

      <footer className="flex flex-wrap items-baseline justify-between gap-2 text-sm text-stone-500">
        <span>
          Train from the command line with <code className="font-mono">cellscope</code>; corpora and
          models will appear here.
        </span>
        {summary && <span data-testid="store-summary">{summary}</span>}
      </footer>
    </main>
  );
}
