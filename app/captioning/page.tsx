/**
 * /captioning: the lecture's last part, one to many. A CNN encodes a picture
 * and a recurrent decoder writes its caption, word by word. The pictures and
 * their captions are made by code (lib/captioning/scenes.ts) and the
 * captioner was trained here, both said on the page. URL: ?scene=test-K or
 * ?objects=… (a drawing), &unit=KIND:LAYER:INDEX, &temperature=T.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { ZodError } from "zod";
import { InputError, NotFoundError, zodMessage } from "@/lib/api/errors.ts";
import { makeScenes } from "@/lib/captioning/scenes.ts";
import { captionScene, type CaptionResult } from "@/lib/cells/caption-scene.ts";
import { pageMeta } from "@/lib/ui/page-meta.ts";
import { captioningHref, decodeObjects, type CaptioningView } from "@/lib/ui/urls.ts";
import { Breadcrumbs } from "@/app/_components/Breadcrumbs.tsx";
import { CaptionExplorer } from "@/app/_components/CaptionExplorer.tsx";

export const metadata: Metadata = pageMeta("captioning · one to many", "A CNN feeds a recurrent decoder that writes a caption word by word, on scenes made by code; color the words by any decoder unit.");

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function CaptioningPage({ searchParams }: { searchParams: SearchParams }) {
  await connection();
  const sp = await searchParams;
  const objects = first(sp.objects);
  const view: CaptioningView = {
    ...(objects ? { objects: decodeObjects(objects) } : { scene: first(sp.scene) ?? "test-0" }),
    ...(first(sp.unit) ? { unit: first(sp.unit) } : {}),
    ...(first(sp.temperature) ? { temperature: Number(first(sp.temperature)) } : {}),
  };
  let result: CaptionResult | undefined;
  let problem: string | undefined;
  try {
    result = await captionScene(view as Parameters<typeof captionScene>[0]);
  } catch (e) {
    if (e instanceof ZodError) problem = zodMessage(e);
    else if (e instanceof InputError || e instanceof NotFoundError) problem = e.message;
    else throw e;
  }
  const testScenes = makeScenes("test", 12, result?.captioner.sceneSeed ?? 1).map((s) => ({ id: s.id, objects: s.objects }));
  const test = result?.captioner.test;
  const testBeam = result?.captioner.testBeam;
  return (
    <main className="mx-auto max-w-5xl space-y-4 p-4">
      <Breadcrumbs trail={[{ label: "learn", href: "/learn" }, { label: "captioning" }]} />
      <h1 className="text-2xl font-semibold">Captioning: one to many</h1>
      <p className="max-w-3xl text-stone-700">
        A convolutional network encodes the picture into {result?.captioner.features ?? "its"} features v; a recurrent decoder starts from <span className="font-mono">&lt;start&gt;</span> and, with{" "}
        <span className="font-mono">h = cell(W_xh·x + W_hh·h + W_ih·v)</span> at every step, writes one word after another until <span className="font-mono">&lt;end&gt;</span>.{" "}
        <strong>The pictures and their captions are made by code</strong>: no captioned image collection or pretrained CNN can be downloaded here, so a generator draws one to three shapes and a small grammar writes true captions, and the CNN and decoder were trained here from scratch (<span className="font-mono">npx cellscope train-captioner</span>).
        {test && (
          <>
            {" "}
            On {test.scenes.toLocaleString("en")} test scenes its greedy captions are <strong>{(test.trueRate * 100).toFixed(1)}% true</strong> (BLEU-4 {test.bleu4.toFixed(3)})
            {testBeam && (
              <>
                ; by beam search of width {testBeam.beam}, <strong>{(testBeam.trueRate * 100).toFixed(1)}%</strong> (BLEU-4 {testBeam.bleu4.toFixed(3)})
              </>
            )}
            .
          </>
        )}
      </p>
      {problem || !result ? (
        <div className="panel space-y-2" role="alert" data-testid="caption-problem">
          <p>{problem}</p>
          <Link className="underline" href="/captioning?scene=test-0">
            caption test scene 0 instead
          </Link>
        </div>
      ) : (
        // Keyed by the view: a link within the page starts the drawing afresh from that view's scene.
        <CaptionExplorer key={captioningHref(view)} result={result} view={view} testScenes={testScenes} />
      )}
    </main>
  );
}
