/** The cell page's segment: reads the unit once, so that its not-found page can say what is wrong (load-cell.ts). */
import { connection } from "next/server";
import { decodeUnitParam } from "@/lib/ui/urls.ts";
import { loadCell } from "./load-cell.ts";
import { UnitProblem } from "./unit-problem.tsx";

export default async function CellLayout({ children, params }: { children: React.ReactNode; params: Promise<{ model: string; unit: string }> }) {
  await connection();
  const p = await params;
  const { problem } = await loadCell(decodeUnitParam(p.model), decodeUnitParam(p.unit));
  return <UnitProblem value={problem ?? null}>{children}</UnitProblem>;
}
