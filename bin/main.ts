/**
 * The `cellscope` command line as shipped: lib/cli's commands and `cellscope
 * bench` (bench/command.ts), put together here so that lib/ never imports
 * bench/ (the benches measure lib/, not the other way round).
 */
import { lazy, main as runCommand } from "../lib/cli/main.ts";

export function main(argv: string[]): Promise<number> {
  return runCommand(argv, {
    bench: { summary: "measure speed against this machine's matmul peak (see bench/)", load: lazy(() => import("../bench/command.ts"), "benchCommand", "benchHelp") },
  });
}
