/** `cellscope knockout`: what one unit is for — the change in loss per character when it is held at a value. */
import { z } from "zod";
import { defined, num, parseFlags, UsageError } from "./args.ts";
import { HoldValue, knockOut } from "../cells/knock-out.ts";

export const knockoutHelp = `cellscope knockout --model ID --unit KIND:LAYER:INDEX [--from N (0)] [--to N (from + 5000)] [--value zero|mean|X (zero)] [--json]
    runs the model over a stretch of its recording with the unit held at a value, and again free: the change in
    loss per character (nats; more = the unit was helping there), its total, and the characters it helped most`;

export async function knockoutCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    model: { type: "string" },
    unit: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    value: { type: "string" },
    json: { type: "boolean" },
  });
  if (!values.model) throw new UsageError("knockout needs --model");
  if (!values.unit) throw new UsageError("knockout needs --unit (e.g. c:1:40)");
  const from = num(values, "from") ?? 0;
  const o = z.object({ value: HoldValue.default("zero") }).parse(defined({ value: values.value as string | undefined }));
  const r = await knockOut(values.model as string, values.unit as string, { from, to: num(values, "to") ?? from + 5000, value: o.value });
  if (values.json) {
    process.stdout.write(JSON.stringify(r) + "\n");
    return;
  }
  const show = (c: string) => JSON.stringify(c);
  process.stdout.write(`${r.model} ${r.unit} held at ${r.value} (${r.hold}) over offsets ${r.from}–${r.to - 1} (${r.to - r.from} characters, ${(r.tookMs / 1000).toFixed(1)} s)\n`);
  process.stdout.write(`loss: free ${r.nats.free.toFixed(4)}, held ${r.nats.held.toFixed(4)} nats/char (the recording: ${r.nats.recorded.toFixed(4)}); total change ${r.total >= 0 ? "+" : ""}${r.total.toFixed(2)} nats\n`);
  process.stdout.write(`helped most (loss rises when held):\n`);
  for (const h of r.helped) process.stdout.write(`  ${String(h.offset).padStart(8)}  ${show(h.char).padEnd(6)} +${h.delta.toFixed(3)}\n`);
}
