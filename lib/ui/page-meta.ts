/**
 * A page's <title>, description and Open Graph tags, so that a shared link
 * previews as what it shows ("warpeace-2x256 · search · /"[^"]*"/").
 */
import type { Metadata } from "next";

export function pageMeta(title: string, description: string): Metadata {
  return { title: { absolute: title }, description, openGraph: { title, description, type: "website", siteName: "Cellscope" } };
}
