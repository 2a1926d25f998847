/**
 * A unit spelled as a path, `/models/M/cells/1/83` (the cell state, as the
 * 2015 paper colors: the first kind the model's recording has, c for an LSTM,
 * h for a GRU or vanilla RNN) or `/models/M/cells/h/1/83`: redirected to its
 * permalink `/models/M/cells/c:1:83`, with the view's query kept. Anything
 * else is a 404.
 */
import { notFound, permanentRedirect } from "next/navigation";
import { cellHref, decodeUnitParam, unitFromPath, type SearchParamsRecord } from "@/lib/ui/urls.ts";
import { getModelContext } from "@/lib/cells/model-context.ts";

/** The kind `layer/index` means for this model; c when the model cannot be read (its cell page then says why). */
async function stateKind(model: string): Promise<string> {
  try {
    return (await getModelContext(model)).kinds[0] ?? "c";
  } catch {
    return "c";
  }
}

export default async function UnitPathPage({
  params,
  searchParams,
}: {
  params: Promise<{ model: string; unit: string; rest: string[] }>;
  searchParams: Promise<SearchParamsRecord>;
}) {
  const p = await params;
  const unit = unitFromPath([p.unit, ...p.rest], p.rest.length === 1 ? await stateKind(decodeUnitParam(p.model)) : "c");
  if (!unit) notFound();
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(await searchParams)) for (const x of Array.isArray(v) ? v : [v ?? ""]) query.append(k, x);
  const q = query.toString();
  permanentRedirect(cellHref(decodeUnitParam(p.model), unit) + (q ? `?${q}` : ""));
}
