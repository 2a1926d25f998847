/**
 * The `cellscope` command line. Every command reports a user's mistake as one
 * line on stderr and a non-zero exit, never a stack trace (set
 * CELLSCOPE_DEBUG=1 to see one).
 */
import { trainCommand, trainHelp } from "./train-command.ts";
import { evalCommand, evalHelp, sampleCommand, sampleHelp } from "./model-commands.ts";
import { benchCommand, benchHelp } from "./bench-command.ts";
import { recordCommand, recordHelp } from "./record-command.ts";
import { setupCommand, setupHelp } from "./setup-command.ts";
import { exportCommand, exportHelp, searchCommand, searchHelp } from "./store-commands.ts";
import { columnsCommand, columnsHelp } from "./columns-command.ts";
import { probeCommand, probeHelp } from "./probe-command.ts";
import { knockoutCommand, knockoutHelp } from "./knockout-command.ts";
import { effectCommand, effectHelp } from "./effect-command.ts";
import { errorsCommand, errorsHelp } from "./errors-command.ts";
import { exportModelCommand, exportModelHelp, importCommand, importHelp } from "./torch-commands.ts";

const commands: Record<string, { run: (argv: string[]) => Promise<void>; help: string }> = {
  train: { run: trainCommand, help: trainHelp },
  sample: { run: sampleCommand, help: sampleHelp },
  eval: { run: evalCommand, help: evalHelp },
  record: { run: recordCommand, help: recordHelp },
  setup: { run: setupCommand, help: setupHelp },
  search: { run: searchCommand, help: searchHelp },
  export: { run: exportCommand, help: exportHelp },
  columns: { run: columnsCommand, help: columnsHelp },
  probe: { run: probeCommand, help: probeHelp },
  knockout: { run: knockoutCommand, help: knockoutHelp },
  effect: { run: effectCommand, help: effectHelp },
  errors: { run: errorsCommand, help: errorsHelp },
  import: { run: importCommand, help: importHelp },
  "export-model": { run: exportModelCommand, help: exportModelHelp },
  bench: { run: benchCommand, help: benchHelp },
  serve: {
    run: async (argv) => {
      const { serveCommand } = await import("./serve-command.ts");
      await serveCommand(argv);
    },
    help: "cellscope serve [--port N (3000)]   set up the store and serve the app",
  },
};

function usage(): string {
  return `Cellscope: a microscope for the cells of char-level recurrent networks.\n\nUsage:\n${Object.values(commands)
    .map((c) => "  " + c.help.split("\n").join("\n  "))
    .join("\n")}\n`;
}

let pipeGuarded = false;

export async function main(argv: string[]): Promise<number> {
  // Output piped into a reader that stops early (`cellscope sample … | head`) is not an error: stop quietly.
  if (!pipeGuarded) {
    pipeGuarded = true;
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(0);
      throw e;
    });
  }
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return name ? 0 : 1;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`cellscope: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(cmd.help + "\n");
    return 0;
  }
  try {
    await cmd.run(rest);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    const err = e as Error;
    if (process.env.CELLSCOPE_DEBUG) process.stderr.write(`${err.stack}\n`);
    const msg = err?.name === "ZodError" ? zodMessage(err) : err?.message ?? String(e);
    process.stderr.write(`cellscope ${name}: error: ${msg.split("\n")[0]}\n`);
    return 1;
  }
}

function zodMessage(err: Error): string {
  const issues = (err as unknown as { issues: { path: (string | number)[]; message: string }[] }).issues;
  const i = issues?.[0];
  return i ? `${i.path.length ? "--" + i.path.join(".") + ": " : ""}${i.message}` : err.message;
}
