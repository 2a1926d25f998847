/** The body of a 404 page: what is wrong when the page knows (`problem`), and how unit ids are written. */
import Link from "next/link";
import { UNIT_KINDS, isGateKind } from "@/lib/model/unit-kinds.ts";

const STATES = UNIT_KINDS.filter((k) => !isGateKind(k)).join(", ");
const GATES = UNIT_KINDS.filter(isGateKind).join(", ");

export function NotFoundMessage({ problem }: { problem?: string | null }) {
  return (
    <main className="mx-auto max-w-3xl space-y-3 px-4 py-16">
      <h1 className="text-2xl font-semibold">Not found</h1>
      {problem ? (
        <p className="text-stone-800" data-testid="not-found-problem">
          {problem.charAt(0).toUpperCase() + problem.slice(1)}
        </p>
      ) : (
        <p className="text-stone-600">There is no such model, unit or page.</p>
      )}
      <p className="text-stone-600">
        Unit ids are <code className="font-mono">KIND:LAYER:INDEX</code>, e.g. <code className="font-mono">c:1:83</code> (kinds {STATES}, and with gates recorded {GATES}, as the model's cell has them; layers and indices count from 0).
      </p>
      <p>
        <Link href="/" className="underline">
          See the models
        </Link>
      </p>
    </main>
  );
}
