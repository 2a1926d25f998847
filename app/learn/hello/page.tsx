/**
 * /learn/hello?seed=S&step=N: the lecture's "hello" example, a vanilla RNN of
 * three hidden units learning to read "hell" and predict "ello", trained in
 * the browser (HelloTrainer). The server does no training: it reads the seed
 * and step from the URL and explains the network.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { Breadcrumbs } from "@/app/_components/Breadcrumbs.tsx";
import { HelloTrainer } from "@/app/_components/HelloTrainer.tsx";
import { H, INIT_SCALE, INPUT, LEARNING_RATE, TARGET, VOCAB } from "@/lib/learn/hello-rnn.ts";
import { pageMeta } from "@/lib/ui/page-meta.ts";
import { parseHelloView, type SearchParamsRecord } from "@/lib/ui/urls.ts";

export async function generateMetadata({ searchParams }: { searchParams: Promise<SearchParamsRecord> }): Promise<Metadata> {
  const { view } = parseHelloView(await searchParams);
  return pageMeta(
    `hello · seed ${view.seed} · step ${view.step}`,
    `The CS231n "hello" RNN (vocabulary h, e, l, o; hidden layer of ${H}) after ${view.step} training steps from seed ${view.seed}, trained in your browser.`,
  );
}

export default async function HelloPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const { view, problems } = parseHelloView(await searchParams);
  return (
    <main className="mx-auto max-w-5xl space-y-4 px-4 py-4">
      <Breadcrumbs trail={[{ label: "learn", href: "/learn" }, { label: "hello" }]} />
      <header className="space-y-2">
        <h1 className="text-xl font-semibold tracking-tight">“hello”: a recurrent network learns four letters</h1>
        <p className="max-w-3xl text-sm text-stone-600">
          The example of CS231n lecture 10. The vocabulary is {VOCAB.map((c) => `“${c}”`).join(", ")}; each letter goes in as a one-hot vector of 4. A hidden layer of {H} units
          reads “{INPUT}” one letter at a time and, at each step, scores the 4 letters for the next one: it should say “{TARGET}”. Training adjusts the three weight matrices by
          backpropagation through time until it does. It runs here, in your browser; the link in the address bar reproduces exactly these numbers.
        </p>
      </header>
      {problems.length > 0 && (
        <p role="alert" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="hello-problem">
          {problems.join("; ")}. Showing seed {view.seed}, step {view.step} instead.
        </p>
      )}
      <HelloTrainer key={`${view.seed}/${view.step}`} seed={view.seed} step={view.step} />
      <section aria-labelledby="math-title" className="panel space-y-2 text-sm text-stone-700">
        <h2 id="math-title" className="panel-title">
          The equations
        </h2>
        <pre className="overflow-x-auto font-mono text-[13px] leading-relaxed">
          {[
            "h_0 = 0",
            "h_t = tanh(W_hh·h_{t−1} + W_xh·x_t)     x_t: one-hot of the t-th letter of “hell”",
            "y_t = W_hy·h_t                          the scores of h, e, l, o",
            "p_t = softmax(y_t)                      p_t[k] = exp(y_t[k]) / Σ_j exp(y_t[j])",
            "L   = Σ_t −log p_t[target_t]            cross-entropy; the targets are “ello”",
          ].join("\n")}
        </pre>
        <p>
          Backpropagation through time gives ∂L/∂W for each matrix, from the last step back to the first (the code, with every equation, is{" "}
          <code className="font-mono">lib/learn/hello-rnn.ts</code>, written like Karpathy’s min-char-rnn, and tested against finite differences and against the same step in TensorFlow.js). Each step updates
          the weights with Adagrad at learning rate {LEARNING_RATE}, as min-char-rnn does: m += g², W −= {LEARNING_RATE}·g/√(m + 10⁻⁸). No biases, as on the lecture’s slide. The
          initial weights are normal with standard deviation {INIT_SCALE}, drawn from the seed (mulberry32, Box–Muller), so a seed and a step count are all it takes to get the same
          numbers again.
        </p>
        <p>
          Next: the same kind of network, with 100 hidden units reading 25 characters at a time (min-char-rnn), learns to write text that looks like Shakespeare.{" "}
          <Link prefetch={false} href="/learn" className="underline">
            The rest of the lecture
          </Link>
          .
        </p>
      </section>
    </main>
  );
}
