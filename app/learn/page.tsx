/**
 * /learn: a short path through CS231n lecture 10, the lecture the 2015 paper
 * belongs to, each step linking into the views that show it live: the
 * recurrence, the "hello" example (trained in the browser), min-char-rnn on
 * Shakespeare, the famous cells of the shipped models, and the comparison of
 * architectures. What the store holds is read through lib/ (the famous cells
 * by the home page's own rule, lib/search/famous.ts); nothing here is a
 * number typed in by hand.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { listDetectorScores } from "@/lib/cells/get-model.ts";
import { listModels, type ModelSummary } from "@/lib/cells/list-models.ts";
import { groupFamousDetectors } from "@/lib/search/famous.ts";
import { SIGNALS } from "@/lib/search/signals.ts";
import { H, INPUT, TARGET } from "@/lib/learn/hello-rnn.ts";
import { pageMeta } from "@/lib/ui/page-meta.ts";
import { captioningHref, cellHref, corpusHref, HELLO_DEFAULT_SEED, helloHref, modelHref, searchHref } from "@/lib/ui/urls.ts";
import { signed } from "@/app/_components/format.ts";

export const metadata: Metadata = pageMeta(
  "learn · the lecture, runnable",
  "A path through CS231n lecture 10: the recurrence, the hello example trained in your browser, min-char-rnn on Shakespeare, the famous LSTM cells, captioning, and LSTM against GRU and RNN.",
);

/** The model trained with min-char-rnn's recipe (1 layer of 100 units, sequences of 25, batch 1, Adagrad at 0.1): step 3 links to it once it is in the store. */
const SHAKESPEARE_RNN = "shakespeare-rnn-1x100";

const describe = (signal: string) => SIGNALS.find((s) => s.name === signal)?.description ?? signal;

/** One step of the path: a number, a title, what the lecture says, and where to see it. */
function Step({ n, title, id, children }: { n: number; title: string; id: string; children: ReactNode }) {
  return (
    <li className="panel space-y-2" aria-labelledby={id} data-testid="learn-step">
      <h2 id={id} className="font-semibold">
        <span className="num mr-2 text-stone-400">{n}.</span>
        {title}
      </h2>
      <div className="space-y-2 text-sm text-stone-700">{children}</div>
    </li>
  );
}

const A = ({ href, children }: { href: string; children: ReactNode }) => (
  <Link prefetch={false} href={href} className="underline decoration-stone-300 hover:decoration-stone-800">
    {children}
  </Link>
);

export default async function LearnPage() {
  await connection(); // read the store per request: which models and detectors it has
  const [models, detectors] = await Promise.all([listModels(), listDetectorScores()]);
  // Char models only: a captioner's decoder (its corpus: the test captions) has its own step.
  const charModels = models.filter((m) => m.kind !== "captioner");
  const captioner = models.find((m) => m.kind === "captioner");
  const corpora = [...new Set(charModels.map((m) => m.corpus))].sort();
  const corpusOf = new Map(charModels.map((m) => [m.id, m.corpus]));
  const cellOf = new Map(models.map((m) => [m.id, m.cell]));
  const famous = groupFamousDetectors(
    detectors.filter((d) => corpusOf.has(d.model)),
    corpusOf,
  );
  const shakespeare: ModelSummary | undefined = models.find((m) => m.id === SHAKESPEARE_RNN);

  return (
    <main className="mx-auto max-w-3xl space-y-4 px-4 py-6">
      <header className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">The lecture, runnable</h1>
        <p className="text-stone-600">
          Cellscope shows the cells of the 2015 paper “Visualizing and Understanding Recurrent Networks” (Karpathy, Johnson &amp; Fei-Fei). That paper closes a lecture, CS231n lecture
          10, which starts much smaller. Here is its path, each step linked to a view that shows it live.
        </p>
      </header>
      <ol className="space-y-3">
        <Step n={1} id="step-recurrence" title="The recurrence">
          <p>
            A recurrent network reads a sequence one element at a time and keeps a state: at every step the same function, with the same weights, makes the new state from the old
            one and the input. The vanilla RNN:
          </p>
          <pre className="overflow-x-auto font-mono text-[13px]">{"h_t = tanh(W_hh·h_{t−1} + W_xh·x_t)\ny_t = W_hy·h_t"}</pre>
          <p>
            The output y<sub>t</sub> scores every possible next element. See it computed, number by number, in <A href={helloHref({ seed: HELLO_DEFAULT_SEED, step: 0 })}>the hello example</A>.
          </p>
        </Step>

        <Step n={2} id="step-hello" title="“hello”: four letters, three hidden units">
          <p>
            The lecture’s example: a vocabulary of h, e, l, o, one-hot inputs, a hidden layer of {H}. It reads “{INPUT}” and should predict “{TARGET}”: the second “l” must be followed by
            “o” and the first by “l”, so the prediction needs the state, not only the current letter. Train it in your browser, one step at a time or a hundred:{" "}
            <A href={helloHref({ seed: HELLO_DEFAULT_SEED, step: 0 })}>untrained</A>, or <A href={helloHref({ seed: HELLO_DEFAULT_SEED, step: 100 })}>after 100 steps</A>.
          </p>
        </Step>

        <Step n={3} id="step-shakespeare" title="min-char-rnn learns Shakespeare">
          <p>
            The same network, 112 lines of numpy (Karpathy’s min-char-rnn): one layer of 100 units reading 25 characters at a time, trained with Adagrad at learning rate 0.1 on
            Shakespeare. Its samples go from gibberish after 100 iterations to something that looks like a play a few thousand iterations later.
          </p>
          {shakespeare ? (
            <p data-testid="shakespeare-model">
              Cellscope’s <A href={modelHref(shakespeare.id)}>{shakespeare.id}</A> was trained with exactly that recipe: its page has the training curve and its units;{" "}
              <A href={`/models/${encodeURIComponent(shakespeare.id)}/sample`}>sample</A> it, or <A href={searchHref(shakespeare.id)}>search its units</A>.
            </p>
          ) : (
            <p data-testid="shakespeare-coming">
              Coming: <span className="font-mono">{SHAKESPEARE_RNN}</span>, trained with exactly that recipe, is not in this store yet. Until it is, the shipped models show the same
              kind of network at work: <A href="/#models-title">the models</A>.
            </p>
          )}
        </Step>

        <Step n={4} id="step-cells" title="The famous cells">
          <p>
            Trained on enough text, some cells of an LSTM track something a person can name: whether the text is inside a quote, the position in the line, an <code>if</code>{" "}
            condition, a comment, the depth of nested braces. These are the ones set-up found in this store’s models (the best unit for each signal, by Pearson r over the recorded
            test text):
          </p>
          {famous.length === 0 ? (
            <p data-testid="no-famous">
              None found yet: <code className="font-mono">npx cellscope setup</code> finds them after recording. <A href="/">The home page</A> lists what there is.
            </p>
          ) : (
            <ul className="space-y-2" data-testid="famous-cells">
              {famous.map((g) => (
                <li key={g.model}>
                  <A href={modelHref(g.model)}>
                    <span className="font-mono">{g.model}</span>
                  </A>{" "}
                  <span className="text-stone-500">({cellOf.get(g.model)?.toUpperCase()})</span>
                  <ul className="mt-1 ml-4 list-disc space-y-0.5">
                    {g.detectors.map((d) => (
                      <li key={d.signal}>
                        {describe(d.signal)}: <A href={cellHref(d.model, d.unit)}>{d.unit}</A>{" "}
                        <span className="num text-stone-500">(r {signed(d.r, 2)})</span>, <A href={searchHref(d.model, { signal: d.signal })}>every unit ranked</A>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
          <p>
            Most cells track nothing so simple: <A href="/">the home page</A> gives each model’s share of units that do.
          </p>
        </Step>

        <Step n={5} id="step-captioning" title="One to many: captioning">
          <p>
            The lecture ends with a recurrent network that writes about a picture: a convolutional network encodes the image, and the decoder, started from{" "}
            <code className="font-mono">&lt;start&gt;</code> with the image features added at every step (<code className="font-mono">h = tanh(W_xh·x + W_hh·h + W_ih·v)</code>), emits words until{" "}
            <code className="font-mono">&lt;end&gt;</code>. No captioned photographs can be downloaded here, so the scenes (one to three colored shapes) and their captions are made by code,
            and the CNN and an LSTM decoder are trained here. <A href={captioningHref({ scene: "test-0" })}>Watch it caption a scene word by word</A>, with the five likeliest words at each
            step, color the words by any decoder unit, or draw a scene of your own.
            {captioner && (
              <>
                {" "}
                Its decoder is recorded over the test captions like any model, so the same microscope works on it: the{" "}
                <A href={searchHref(captioner.id, { q: "red|green|blue|yellow" })}>units that fire on color words</A>, or on{" "}
                <A href={searchHref(captioner.id, { q: "circle|square|triangle" })}>shape words</A>.
              </>
            )}
          </p>
        </Step>
        <Step n={6} id="step-architectures" title="LSTM, GRU, vanilla RNN">
          <p>
            The paper compared the three cells at several depths and sizes on War and Peace and the Linux kernel (its Table 1): the LSTM and the GRU came out close, and the vanilla RNN
            clearly worse. Cellscope trains all three (<code className="font-mono">cellscope train --cell lstm|gru|rnn</code>), and each corpus's models sit side by side, as in that table (cell, size,
            test loss and each model's best unit per signal):{" "}
            {corpora.map((c, i) => (
              <span key={c}>
                {i > 0 && ", "}
                <A href={corpusHref(c)}>{c}</A>
              </span>
            ))}
            .
          </p>
        </Step>
      </ol>
    </main>
  );
}
