/**
 * Your own text, live (?unit=&text=&prime=&at=&scale=): the model run over a
 * text the user gives, colored by one unit, with the inspector at a clicked
 * character; nothing is stored. A link with the text in it renders the
 * colored text on the server, so a shared view opens as it was.
 */
import type { Metadata } from "next";
import { connection } from "next/server";
import { InputError, NotFoundError, zodMessage } from "@/lib/api/errors.ts";
import { runText, RunTextRequest, type RunTextResult } from "@/lib/cells/run-text.ts";
import { pageMeta } from "@/lib/ui/page-meta.ts";
import { cellHref, decodeUnitParam, first, modelHref, parseOffset, parseScale, type SearchParamsRecord } from "@/lib/ui/urls.ts";
import { Breadcrumbs } from "@/app/_components/Breadcrumbs.tsx";
import { LiveText, type LiveRequest } from "@/app/_components/LiveText.tsx";
import { getModelOrNotFound } from "../get-model-or-not-found.ts";
import { ZodError } from "zod";

type Params = Promise<{ model: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const id = decodeUnitParam((await params).model);
  return pageMeta(`${id} · your own text`, `Run ${id} over any text and see it colored by any unit, with the model's guesses at every character.`);
}

export default async function TryPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParamsRecord> }) {
  await connection();
  const id = decodeUnitParam((await params).model);
  const ctx = await getModelOrNotFound(id);
  const sp = await searchParams;
  const scale = parseScale(sp);
  const at = parseOffset(first(sp, "at") ?? "");
  const req: LiveRequest = {
    text: first(sp, "text") ?? "",
    unit: decodeUnitParam(first(sp, "unit") ?? `${ctx.kinds[0]}:${ctx.model.layers - 1}:0`),
    prime: first(sp, "prime") ?? "",
    ...(typeof at === "number" ? { at } : {}),
  };
  let result: RunTextResult | null = null;
  let error: string | null = null;
  if (req.text) {
    try {
      result = await runText(id, RunTextRequest.parse(req));
    } catch (e) {
      if (e instanceof ZodError) error = zodMessage(e);
      else if (e instanceof InputError || e instanceof NotFoundError) error = e.message;
      else throw e;
    }
  }
  return (
    <main className="mx-auto max-w-5xl space-y-4 px-4 py-4">
      <Breadcrumbs trail={[{ label: "models", href: "/" }, { label: id, href: modelHref(id, { scale }), mono: true }, { label: "your own text" }]} />
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">Your own text</h1>
        <p className="max-w-3xl text-sm text-stone-600">
          {id} reads your text from a fresh state (after the prime, if you give one) and every character is colored by the unit’s value after reading it. Nothing is stored. The unit’s page over the recorded text:{" "}
          <a className="font-mono underline" href={cellHref(id, req.unit, { scale })}>
            {req.unit}
          </a>
          .
        </p>
      </header>
      <LiveText model={id} initial={req} result={result} error={error} scale={scale} />
    </main>
  );
}
