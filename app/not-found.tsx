/** 404: an unknown model, unit or page. */
import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-3xl space-y-3 px-4 py-16">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-stone-600">
        There is no such model, unit or page. Unit ids are <code className="font-mono">KIND:LAYER:INDEX</code>, e.g. <code className="font-mono">c:1:83</code> (kinds c, h, and with gates
        recorded i, f, o; layers and indices count from 0).
      </p>
      <p>
        <Link href="/" className="underline">
          See the models
        </Link>
      </p>
    </main>
  );
}
