/**
 * The page shown instead of any other when the store can't be read (missing,
 * not set up, corrupt, locked): what happened, and the command that fixes it.
 * app/layout.tsx renders it from checkStore() on every page request.
 */
import type { StoreError } from "@/lib/store/store-error.ts";

const TITLES: Record<StoreError["problem"], string> = {
  missing: "The store is missing",
  not_set_up: "The store is not set up",
  corrupt: "The store is unreadable",
  busy: "The store is busy",
};

/** The message with its `commands` set as code. */
function Message({ text }: { text: string }) {
  return (
    <>
      {text.split("`").map((part, i) =>
        i % 2 ? (
          <code key={i} className="rounded bg-stone-100 px-1 font-mono">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

export function StoreProblem({ error }: { error: Pick<StoreError, "problem" | "message" | "fix"> }) {
  return (
    <main className="mx-auto max-w-3xl space-y-4 px-4 py-16" data-testid="store-problem" data-problem={error.problem}>
      <h1 className="text-2xl font-semibold">{TITLES[error.problem]}</h1>
      <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-red-900">
        <Message text={error.message} />
      </p>
      {error.fix ? (
        <p className="text-stone-600">
          Then reload this page: the server picks the store up without a restart.
        </p>
      ) : (
        <p className="text-stone-600">Reload this page in a moment.</p>
      )}
    </main>
  );
}
