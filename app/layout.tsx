import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: {
    default: "Cellscope",
    template: "%s · Cellscope",
  },
  description: "A microscope for the cells of recurrent networks: train char-level LSTMs and explore what their cells track.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
