/** `cellscope serve`: set up the store (migrations, recordings), then build and serve the app (what `npm start` runs). */
import { num, parseFlags } from "./args.ts";
import { serve } from "./serve.ts";
import { runSetup } from "./setup-command.ts";

export async function serveCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, { port: { type: "string" }, host: { type: "string" }, workers: { type: "string" } });
  const port = num(values, "port") ?? Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port must be 1 to 65535, got ${port}`);
  // Record any model that has no complete recording yet (a no-op on later starts).
  await runSetup();
  await serve({ port, host: values.host as string | undefined, workers: num(values, "workers") });
}
