/** `cellscope bench NAME --json`: the benchmarks in bench/, each printing one JSON object. */
import { num, parseFlags, UsageError } from "./args.ts";
import { initBackend } from "../model/backend.ts";

export const benchHelp = `cellscope bench train [--iterations N (20)] [--json]   training chars/s and matmul utilization`;

export async function benchCommand(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  const { values } = parseFlags(rest, { iterations: { type: "string" }, json: { type: "boolean" } });
  await initBackend();
  let result: Record<string, unknown>;
  if (name === "train") {
    const { benchTrain } = await import("../../bench/train.ts");
    result = await benchTrain({ iterations: num(values, "iterations") });
  } else {
    throw new UsageError(`unknown benchmark "${name ?? ""}" (known: train)`);
  }
  process.stdout.write(values.json ? JSON.stringify(result) + "\n" : JSON.stringify(result, null, 2) + "\n");
}
