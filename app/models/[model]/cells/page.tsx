/** `/models/M/cells`: the model page, whose unit maps list every cell. */
import { permanentRedirect } from "next/navigation";
import { decodeUnitParam, modelHref } from "@/lib/ui/urls.ts";

export default async function CellsIndexPage({ params }: { params: Promise<{ model: string }> }) {
  permanentRedirect(modelHref(decodeUnitParam((await params).model)));
}
