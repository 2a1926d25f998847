"use client";
/**
 * /learn/hello's live part: the "hello" RNN trained in the browser, in
 * float64 (lib/learn/hello-rnn.ts; the tfjs step of hello-rnn-tf.ts is tested
 * to agree with it, but bundling tfjs for this page made builds ten times
 * slower). What is drawn is the forward pass of the current weights. The
 * server only sends the seed and step count from the URL: opening
 * ?seed=7&step=150 re-trains those 150 steps here, and gets the same numbers
 * every time (the same operations in the same order).
 */
import { useEffect, useRef, useState, type ReactNode } from "react";
import { forward, H, HelloTrainer as Trainer, initState, INPUT, TARGET, VOCAB, type Matrix, type TrainState } from "@/lib/learn/hello-rnn.ts";
import { css, divergingColor, sequentialColor } from "@/lib/ui/color.ts";
import { HELLO_MAX_STEP, helloHref } from "@/lib/ui/urls.ts";
import { CopyLink } from "./CopyLink.tsx";
import { fixed, int, signed } from "./format.ts";

/** Weights and scores are unbounded: their color is full at ±3 (trained weights reach about ±3 after a few thousand steps). */
const COLOR_FULL = 3;
/** Steps trained between two redraws while re-training a link's steps: about 0.1 s of work, so the page shows the training as it goes. */
const CHUNK = 50;

type Phase = "loading" | "training" | "ready" | "failed";

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
const hiddenName = (i: number) => `h${i + 1}`;

export function HelloTrainer({ seed, step }: { seed: number; step: number }) {
  // Step 0 of the seed needs no training: it is drawn at once (also by the server).
  const [shown, setShown] = useState<TrainState>(() => initState(seed));
  const [phase, setPhase] = useState<Phase>("loading");
  const [goal, setGoal] = useState(step);
  const trainer = useRef<Trainer | null>(null);
  const busy = useRef(true);
  /** Bumped by every start and by unmounting: an older run stops at its next await (React runs effects twice in development). */
  const run = useRef(0);

  /** Trains `n` more steps (fewer at HELLO_MAX_STEP, beyond which a link could not reproduce them), drawing as it goes. */
  async function advance(tr: Trainer, n: number, id = run.current) {
    busy.current = true;
    const end = Math.min(HELLO_MAX_STEP, tr.step + n);
    setGoal(end);
    setPhase("training");
    while (tr.step < end) {
      tr.train(Math.min(CHUNK, end - tr.step));
      if (tr.step < end) {
        setShown(tr.read());
        await nextFrame();
        if (run.current !== id) return;
      }
    }
    const s = tr.read();
    setShown(s);
    setPhase("ready");
    busy.current = false;
    // Keep the link in the address bar in step with what is shown (replace: one entry, not one per press).
    window.history.replaceState(null, "", helloHref({ seed: s.seed, step: s.step }));
  }

  /** A trainer at step 0 of the seed (Adagrad's memory empty), replacing any other, then `steps` steps of training. */
  async function start(steps: number) {
    const id = ++run.current;
    busy.current = true;
    trainer.current?.dispose();
    trainer.current = null;
    try {
      const tr = new Trainer(initState(seed));
      if (run.current !== id) return tr.dispose();
      trainer.current = tr;
      await advance(tr, steps, id);
    } catch (e) {
      console.error(e);
      if (run.current === id) setPhase("failed");
    }
  }

  // The page keys this component by seed and step, so a new link mounts a new one: this runs once.
  useEffect(() => {
    void start(step);
    return () => {
      run.current++;
      trainer.current?.dispose();
      trainer.current = null;
    };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  /** A control's action: ignored while training or before the trainer has started (the buttons stay focusable, so a keyboard user keeps their place). */
  const act = (f: (tr: Trainer) => Promise<void>) => () => {
    const tr = trainer.current;
    if (tr && !busy.current) void f(tr);
  };

  const f = forward(shown.weights);
  const right = f.predicted.filter((p, t) => p === f.targets[t]).length;
  const atMax = shown.step >= HELLO_MAX_STEP;
  const off = phase !== "ready";

  return (
    <div className="space-y-4" data-testid="hello-rnn" data-phase={phase} data-seed={shown.seed} data-step={shown.step}>
      <div className="panel space-y-2">
        <div className="flex flex-wrap items-center gap-2">
          <button type="button" className="btn" onClick={act((tr) => advance(tr, 1))} aria-disabled={off || atMax}>
            Take one step
          </button>
          <button type="button" className="btn" onClick={act((tr) => advance(tr, 100))} aria-disabled={off || atMax}>
            Train 100 steps
          </button>
          <button type="button" className="btn" onClick={act(() => start(0))} aria-disabled={off}>
            Reset
          </button>
          <CopyLink />
          <form action="/learn/hello" method="get" className="flex items-center gap-1">
            <label htmlFor="hello-seed" className="text-sm text-stone-600">
              seed
            </label>
            <input id="hello-seed" name="seed" type="number" min={0} max={2 ** 32 - 1} step={1} required defaultValue={seed} className="field w-28" />
            <input type="hidden" name="step" value="0" />
            <button type="submit" className="btn">
              Start over
            </button>
          </form>
        </div>
        <p className="num text-sm text-stone-700" role="status" aria-live="polite" data-testid="hello-status">
          {phase === "loading" && (step > 0 ? `Training ${int(step)} steps from seed ${seed}…` : "Starting…")}
          {phase === "training" && `Training… step ${int(shown.step)} of ${int(goal)}`}
          {phase === "failed" && `Training failed in this browser: the numbers below are those after step ${int(shown.step)}.`}
          {phase === "ready" && (
            <>
              Seed {shown.seed}, after {int(shown.step)} {shown.step === 1 ? "step" : "steps"}: loss <strong data-testid="hello-loss">{fixed(f.loss, 4)}</strong>, {right} of 4
              predictions right{atMax && ` (the most a link can replay: ${int(HELLO_MAX_STEP)})`}
            </>
          )}
        </p>
      </div>

      <div className={off ? "opacity-60 transition-opacity" : undefined} aria-busy={off}>
        <StepsTable f={f} />
        <section aria-labelledby="weights-title" className="mt-4">
          <h2 id="weights-title" className="panel-title">
            The weights
          </h2>
          <p className="mb-2 text-xs text-stone-500">
            Colored −{COLOR_FULL} red … 0 white … +{COLOR_FULL} blue. Column “{VOCAB[0]}” of W<sub>xh</sub> is what reading “{VOCAB[0]}” adds to the hidden state; row “{VOCAB[1]}” of W
            <sub>hy</sub> scores “{VOCAB[1]}”.
          </p>
          <div className="flex flex-wrap gap-4">
            <Grid id="Wxh" caption={<>W<sub>xh</sub> (3 × 4): input → hidden</>} m={shown.weights.Wxh} rows={hiddenNames} cols={[...VOCAB]} />
            <Grid id="Whh" caption={<>W<sub>hh</sub> (3 × 3): hidden → hidden</>} m={shown.weights.Whh} rows={hiddenNames} cols={hiddenNames} />
            <Grid id="Why" caption={<>W<sub>hy</sub> (4 × 3): hidden → scores</>} m={shown.weights.Why} rows={[...VOCAB]} cols={hiddenNames} />
          </div>
        </section>
      </div>
    </div>
  );
}

const hiddenNames = Array.from({ length: H }, (_, i) => hiddenName(i));

/** A weight matrix as a table of colored cells with their numbers, rows and columns named. */
function Grid({ id, caption, m, rows, cols }: { id: string; caption: ReactNode; m: Matrix; rows: string[]; cols: string[] }) {
  return (
    <table className="num border-separate border-spacing-0.5 text-xs" data-testid={`weights-${id}`}>
      <caption className="mb-1 text-left text-sm text-stone-700">{caption}</caption>
      <thead>
        <tr>
          <td />
          {cols.map((c) => (
            <th key={c} scope="col" className="px-1 font-mono font-normal text-stone-500">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {m.map((row, i) => (
          <tr key={rows[i]}>
            <th scope="row" className="pr-1 text-right font-mono font-normal text-stone-500">
              {rows[i]}
            </th>
            {row.map((w, j) => (
              <td key={j} className="w-14 px-1 py-1 text-right" style={{ backgroundColor: css(divergingColor(w / COLOR_FULL)) }}>
                {signed(w, 2)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One row of the steps table: a name and a value per step. */
function Row({ head, cells, testid }: { head: ReactNode; cells: ReactNode[]; testid?: string }) {
  return (
    <tr data-testid={testid}>
      <th scope="row" className="py-0.5 pr-2 text-left font-normal whitespace-nowrap text-stone-600">
        {head}
      </th>
      {cells}
    </tr>
  );
}

/** A group of rows under a heading that spans the table. */
function Group({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <tbody>
      <tr>
        <th scope="rowgroup" colSpan={5} className="pt-2 text-left font-sans text-xs font-semibold text-stone-500">
          {title}
        </th>
      </tr>
      {children}
    </tbody>
  );
}

const valueCell = (key: number, text: string, color: string, extra = "") => (
  <td key={key} className={`px-1 py-0.5 text-right ${extra}`} style={{ backgroundColor: color }}>
    {text}
  </td>
);

/** The forward pass, one column per step: what is read, the hidden state, the scores, the probabilities, the target, the guess, the loss. */
function StepsTable({ f }: { f: ReturnType<typeof forward> }) {
  const steps = [...INPUT].map((_, t) => t);
  return (
    <section aria-labelledby="steps-title" className="panel relative overflow-x-auto">
      <h2 id="steps-title" className="panel-title">
        Reading “{INPUT}”, predicting “{TARGET}”
      </h2>
      <table className="num w-full max-w-xl border-separate border-spacing-0.5 text-xs sm:text-sm" data-testid="hello-steps">
        <caption className="sr-only">Each step of the forward pass: the input, the hidden state, the output scores, the probabilities, the target, the prediction and the loss</caption>
        <thead>
          <tr>
            <td />
            {steps.map((t) => (
              <th key={t} scope="col" className="px-1 text-right font-normal text-stone-500">
                t = {t + 1}
              </th>
            ))}
          </tr>
        </thead>
        <Group title="input, one-hot over h, e, l, o">
          <Row
            head={
              <>
                x<sub>t</sub>
              </>
            }
            cells={steps.map((t) => (
              <td key={t} className="px-1 text-right font-mono">
                “{VOCAB[f.inputs[t]]}”<span className="block text-xs text-stone-400">{VOCAB.map((_, k) => (k === f.inputs[t] ? 1 : 0)).join("")}</span>
              </td>
            ))}
          />
        </Group>
        <Group
          title={
            <>
              hidden state h<sub>t</sub> = tanh(W<sub>hh</sub>·h<sub>t−1</sub> + W<sub>xh</sub>·x<sub>t</sub>)
            </>
          }
        >
          {hiddenNames.map((name, i) => (
            <Row key={name} head={name} testid={`hidden-${name}`} cells={steps.map((t) => valueCell(t, signed(f.hs[t][i], 3), css(divergingColor(f.hs[t][i]))))} />
          ))}
        </Group>
        <Group
          title={
            <>
              scores y<sub>t</sub> = W<sub>hy</sub>·h<sub>t</sub>
            </>
          }
        >
          {VOCAB.map((c, k) => (
            <Row key={c} head={`“${c}”`} testid={`score-${c}`} cells={steps.map((t) => valueCell(t, signed(f.ys[t][k], 3), css(divergingColor(f.ys[t][k] / COLOR_FULL))))} />
          ))}
        </Group>
        <Group
          title={
            <>
              probabilities p<sub>t</sub> = softmax(y<sub>t</sub>); the target’s outlined
            </>
          }
        >
          {VOCAB.map((c, k) => (
            <Row
              key={c}
              head={`“${c}”`}
              testid={`prob-${c}`}
              cells={steps.map((t) => valueCell(t, fixed(f.ps[t][k], 3), css(sequentialColor(f.ps[t][k])), k === f.targets[t] ? "outline-2 -outline-offset-2 outline-stone-800" : ""))}
            />
          ))}
        </Group>
        <Group title="prediction">
          <Row
            head="target"
            cells={steps.map((t) => (
              <td key={t} className="px-1 text-right font-mono font-semibold" data-testid="hello-target">
                {VOCAB[f.targets[t]]}
              </td>
            ))}
          />
          <Row
            head="predicted"
            cells={steps.map((t) => {
              const ok = f.predicted[t] === f.targets[t];
              return (
                <td key={t} className={`px-1 text-right font-mono ${ok ? "text-emerald-800" : "text-red-800"}`} data-testid="hello-predicted" data-correct={ok}>
                  {VOCAB[f.predicted[t]]} <span aria-hidden="true">{ok ? "✓" : "✗"}</span>
                  <span className="sr-only">{ok ? "right" : "wrong"}</span>
                </td>
              );
            })}
          />
          <Row
            head={
              <>
                −log p<sub>t</sub>[target]
              </>
            }
            testid="step-loss"
            cells={steps.map((t) => (
              <td key={t} className="px-1 text-right">
                {fixed(f.losses[t], 3)}
              </td>
            ))}
          />
        </Group>
        <tfoot>
          <tr>
            <th scope="row" className="pt-1 pr-2 text-left font-semibold">
              loss L = Σ<sub>t</sub>
            </th>
            <td colSpan={4} className="pt-1 text-right font-semibold">
              {fixed(f.loss, 4)}
            </td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
