"use client";
/**
 * Any other failure while rendering a page. Next.js hides a server error's
 * message in production, so this can only say that something failed; the
 * server log has the details. Store problems are caught before this, by the
 * check in app/layout.tsx, on the next full page load.
 */
import { useEffect } from "react";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <main className="mx-auto max-w-3xl space-y-3 px-4 py-16">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p role="alert" className="text-stone-600">
        The server could not show this page{error.digest ? ` (error ${error.digest} in its log)` : ""}. If the store is being rebuilt, wait for{" "}
        <code className="font-mono">npx cellscope setup</code> to finish.
      </p>
      <p className="flex gap-3">
        <button type="button" className="btn" onClick={() => reset()}>
          Try again
        </button>
        <a href="" className="btn">
          Reload
        </a>
      </p>
    </main>
  );
}
