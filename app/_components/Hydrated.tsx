"use client";
/** Marks <html data-hydrated> once the client code runs (tests wait for it before using the keyboard or hover). */
import { useEffect } from "react";

export function Hydrated() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "";
  }, []);
  return null;
}
