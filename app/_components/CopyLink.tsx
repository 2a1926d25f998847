"use client";
/** Copies the current URL (the whole view state) to the clipboard. */
import { useState } from "react";

export function CopyLink() {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    const url = window.location.href;
    try {
      await navigator.clipboard.writeText(url);
      setState("copied");
    } catch {
      // No clipboard permission (e.g. plain http on another host): show the link to copy by hand.
      window.prompt("Copy this link", url);
      setState("failed");
    }
    window.setTimeout(() => setState("idle"), 1500);
  }
  return (
    <button type="button" onClick={copy} className="btn" data-testid="copy-link" aria-live="polite">
      {state === "copied" ? "Link copied" : "Copy link"}
    </button>
  );
}
