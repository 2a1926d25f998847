/**
 * The `cellscope` command line. Every command reports a user's mistake as one
 * line on stderr and a non-zero exit, never a stack trace (set
 * CELLSCOPE_DEBUG=1 to see one).
 */

/** A command's code and its full help, loaded only when the command runs. */
export type Command = { run: (argv: string[]) => Promise<void>; help: string };

/** Loads a command from its module's `run` and `help` exports. */
export function lazy<M extends Record<string, unknown>>(load: () => Promise<M>, run: keyof M, help: keyof M): () => Promise<Command> {
  return async () => {
    const m = await load();
    return { run: m[run] as Command["run"], help: m[help] as string };
  };
}

/**
 * Every command, with a one-line summary for `cellscope --help`. A command's
 * module (and what it pulls in: tfjs, Prisma, the benches' Playwright) loads
 * only when that command runs, so `--help` and a search start at once.
 */
export interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

const libCommands: Record<string, CommandEntry> = {
  train: { summary: "train a model on a corpus (LSTM, GRU or vanilla RNN)", load: lazy(() => import("./train-command.ts"), "trainCommand", "trainHelp") },
  sample: { summary: "sample text from a model, optionally with units clamped", load: lazy(() => import("./model-commands.ts"), "sampleCommand", "sampleHelp") },
  eval: { summary: "a model's loss on a split of its corpus", load: lazy(() => import("./model-commands.ts"), "evalCommand", "evalHelp") },
  record: { summary: "record every unit at every character into the store", load: lazy(() => import("./record-command.ts"), "recordCommand", "recordHelp") },
  setup: { summary: "migrate the store and record every model in models/", load: lazy(() => import("./setup-command.ts"), "setupCommand", "setupHelp") },
  search: { summary: "rank a model's units against a regex or a built-in signal", load: lazy(() => import("./store-commands.ts"), "searchCommand", "searchHelp") },
  export: { summary: "one unit's recorded values as JSON or CSV", load: lazy(() => import("./store-commands.ts"), "exportCommand", "exportHelp") },
  columns: { summary: "the loss of a character by its column (where lines end)", load: lazy(() => import("./columns-command.ts"), "columnsCommand", "columnsHelp") },
  probe: { summary: "the best linear read-out of a signal from all units", load: lazy(() => import("./probe-command.ts"), "probeCommand", "probeHelp") },
  knockout: { summary: "knock a unit out and see where the loss changes", load: lazy(() => import("./knockout-command.ts"), "knockoutCommand", "knockoutHelp") },
  effect: { summary: "rank units by how much knocking them out hurts marked characters", load: lazy(() => import("./effect-command.ts"), "effectCommand", "effectHelp") },
  errors: { summary: "where a model goes wrong, against an n-gram baseline", load: lazy(() => import("./errors-command.ts"), "errorsCommand", "errorsHelp") },
  "train-captioner": { summary: "train an image captioner (a CNN feeds a recurrent decoder) on scenes made by code", load: lazy(() => import("./captioner-commands.ts"), "trainCaptionerCommand", "trainCaptionerHelp") },
  caption: { summary: "caption scenes made by code with a trained captioner, and score the captions", load: lazy(() => import("./captioner-commands.ts"), "captionCommand", "captionHelp") },
  import: { summary: "import a PyTorch model (safetensors)", load: lazy(() => import("./torch-commands.ts"), "importCommand", "importHelp") },
  "export-model": { summary: "export a model as safetensors for PyTorch", load: lazy(() => import("./torch-commands.ts"), "exportModelCommand", "exportModelHelp") },
  serve: {
    summary: "set up the store and serve the app",
    load: async () => ({
      run: async (argv) => (await import("./serve-command.ts")).serveCommand(argv),
      help: "cellscope serve [--port N (3000)]   set up the store and serve the app",
    }),
  },
};

function usage(commands: Record<string, CommandEntry>): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Cellscope: a microscope for the cells of char-level recurrent networks.\n\nUsage: cellscope COMMAND [options]   (cellscope COMMAND --help for its options)\n\n${lines.join("\n")}\n`;
}

let pipeGuarded = false;

/** Runs a command line; `more`: commands from outside lib/ (bin/main.ts adds bench/'s). */
export async function main(argv: string[], more: Record<string, CommandEntry> = {}): Promise<number> {
  const commands = { ...libCommands, ...more };
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
    process.stdout.write(usage(commands));
    return name ? 0 : 1;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    process.stderr.write(`cellscope: unknown command "${name}"\n\n${usage(commands)}`);
    return 2;
  }
  const cmd = await entry.load();
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
