/**
 * Samples over training (model.json training.samples): what the model wrote
 * with the same seed and prime as it trained, oldest first, each with its loss
 * then. The lecture's slide of gibberish turning into text, for any model.
 */
import type { TrainingSample } from "@/lib/model/model-file.ts";
import { fixed, int } from "./format.ts";

export function SampleTimeline({ samples }: { samples: TrainingSample[] }) {
  if (samples.length === 0) {
    return <p className="text-sm text-stone-500">This model was trained before samples were kept. Models trained with <code className="font-mono">npx cellscope train</code> keep them.</p>;
  }
  return (
    <ol className="space-y-3" data-testid="sample-timeline">
      {samples.map((s) => (
        <li key={s.iteration} className="border-l-2 border-stone-300 pl-3" data-testid="training-sample">
          <p className="text-xs text-stone-500">
            <span className="font-semibold text-stone-700">iteration {int(s.iteration)}</span> · epoch {fixed(s.epoch, 2)} · training loss {fixed(s.loss, 3)} nats/char
            {s.validNats !== undefined && <> · validation {fixed(s.validNats, 3)}</>}
          </p>
          <pre className="mt-1 font-mono text-xs leading-snug break-words whitespace-pre-wrap text-stone-800">{s.text}</pre>
        </li>
      ))}
    </ol>
  );
}
