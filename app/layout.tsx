import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { checkStore } from "@/lib/store/store-error.ts";
import { Hydrated } from "./_components/Hydrated.tsx";
import { StoreProblem } from "./_components/StoreProblem.tsx";
import "./globals.css";

/** The tab's icon: a dark tile with four cells colored red to blue. */
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1c1917"/><rect x="5" y="12" width="5" height="8" fill="#ef5350"/><rect x="11" y="12" width="5" height="8" fill="#f5f5f4"/><rect x="17" y="12" width="5" height="8" fill="#93b5f6"/><rect x="23" y="12" width="4" height="8" fill="#4285f4"/></svg>`;

export const metadata: Metadata = {
  title: {
    default: "Cellscope",
    template: "%s · Cellscope",
  },
  description: "A microscope for the cells of recurrent networks: train char-level LSTMs and explore what their cells track.",
  // Inline, not a file (app/icon.svg): Chromium asks for the page's icon again whenever the address
  // changes, and the cell page changes it on every click and arrow key (?at=); a file, which Next
  // serves with max-age=0, cost a request to the server each time.
  icons: { icon: `data:image/svg+xml,${encodeURIComponent(ICON)}` },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page needs the store: when it can't be read, say why and what fixes
  // it instead of failing somewhere inside the page (a stat and a one-row query).
  await connection();
  const problem = checkStore();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:bg-white focus:px-3 focus:py-1">
          Skip to content
        </a>
        <header className="border-b border-stone-200 bg-white">
          {/* No prefetch: these links are on every page, and their dynamic targets gain little from it. */}
          <nav aria-label="Site" className="mx-auto flex max-w-7xl items-center gap-4 px-4 py-2 text-sm">
            <Link prefetch={false} href="/" className="font-mono font-semibold tracking-tight text-stone-900">
              cellscope
            </Link>
            <span className="text-stone-400" aria-hidden="true">
              |
            </span>
            <span className="min-w-0 flex-1 truncate text-stone-500">a microscope for the cells of char-level recurrent networks</span>
            <Link prefetch={false} href="/learn" className="text-stone-700 hover:underline">
              learn
            </Link>
            <Link prefetch={false} href="/collections" className="text-stone-700 hover:underline">
              collections
            </Link>
            <Link prefetch={false} href="/labels" className="text-stone-700 hover:underline">
              labels
            </Link>
          </nav>
        </header>
        <div id="main">{problem ? <StoreProblem error={problem} /> : children}</div>
        <Hydrated />
      </body>
    </html>
  );
}
