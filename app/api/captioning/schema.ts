/** Body of POST /api/captioning. */
export { CaptionRequest as CaptionBody } from "@/lib/cells/caption-scene.ts";
