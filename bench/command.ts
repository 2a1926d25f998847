/** `cellscope bench NAME --json`: the benchmarks in bench/, each printing one JSON object. */
import { num, parseFlags, UsageError } from "../lib/cli/args.ts";
import { initBackend } from "../lib/model/backend.ts";

export const benchHelp = `cellscope bench train|record|search|ui|load|causal|live|cli|cores [--json]   speed against this machine's matmul peak (see bench/)
    train [--cell lstm|gru|rnn] [--iterations N (20)] [--batch N (50)] [--workers N (the cores)] [--rounds N (3)]   record [--chars N] [--gates] [--workers N (the cores)] [--model ID | --layers N --hidden N (fresh 2×256)]   search [--rounds N (5)] [--model ID | --layers N --hidden N (fresh 2×256)]
    ui [--rounds N (20)] [--model ID] [--port N (3300; N+1 for the fresh servers)] [--no-scroll] [--no-fresh]   in Chromium (on the store of npm start)
    load [--seconds N (60)] [--warmup N (10)] [--connections N (32)] [--model ID] [--workers N] [--port N] [--cpu-prof DIR]   the web server under concurrent requests (on the store of npm start)
    causal [--model ID] [--unit U] [--rounds N (3)]   a 20,000-character knock-out and select-and-match (on the store of npm start)
    live [--model ID] [--unit U] [--chars N (2000)] [--rounds N (5)]   your own text run and colored, against the bare forward pass
    cli [--model ID] [--rounds N (5)]   how fast a command starts, against node -e 0 (on the store of npm start)
    cores [--seconds N (4)]   the native product alone and on every core at once: what this machine's cores give together`;

export async function benchCommand(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  const { values } = parseFlags(rest, {
    cell: { type: "string" },
    iterations: { type: "string" },
    chars: { type: "string" },
    rounds: { type: "string" },
    model: { type: "string" },
    unit: { type: "string" },
    gates: { type: "boolean" },
    seconds: { type: "string" },
    connections: { type: "string" },
    "cpu-prof": { type: "string" },
    workers: { type: "string" },
    layers: { type: "string" },
    hidden: { type: "string" },
    batch: { type: "string" },
    warmup: { type: "string" },
    port: { type: "string" },
    "no-scroll": { type: "boolean" },
    "no-fresh": { type: "boolean" },
    json: { type: "boolean" },
  });
  let result: Record<string, unknown>;
  if (name === "cli") {
    // Measures other processes: this one needs no backend.
    const { benchCli } = await import("./cli.ts");
    result = await benchCli({ model: values.model as string | undefined, rounds: num(values, "rounds") });
  } else if (name === "train") {
    await initBackend();
    const { benchTrain } = await import("./train.ts");
    result = await benchTrain({ cell: values.cell as string | undefined, iterations: num(values, "iterations"), batch: num(values, "batch"), workers: num(values, "workers"), rounds: num(values, "rounds") });
  } else if (name === "record") {
    await initBackend();
    const { benchRecord } = await import("./record.ts");
    result = await benchRecord({ chars: num(values, "chars"), model: values.model as string | undefined, gates: Boolean(values.gates), workers: num(values, "workers"), layers: num(values, "layers"), hidden: num(values, "hidden") });
  } else if (name === "search") {
    await initBackend();
    const { benchSearch } = await import("./search.ts");
    result = await benchSearch({ rounds: num(values, "rounds"), model: values.model as string | undefined, layers: num(values, "layers"), hidden: num(values, "hidden") });
  } else if (name === "ui") {
    await initBackend();
    const { benchUi } = await import("./ui.ts");
    result = await benchUi({ rounds: num(values, "rounds"), model: values.model as string | undefined, port: num(values, "port"), scroll: !values["no-scroll"], fresh: !values["no-fresh"] });
  } else if (name === "load") {
    await initBackend();
    const { benchLoad } = await import("./load.ts");
    result = await benchLoad({ seconds: num(values, "seconds"), warmup: num(values, "warmup"), connections: num(values, "connections"), model: values.model as string | undefined, cpuProf: values["cpu-prof"] as string | undefined, workers: num(values, "workers"), port: num(values, "port") });
  } else if (name === "cores") {
    const { benchCores } = await import("./cores.ts");
    result = await benchCores({ seconds: num(values, "seconds") });
  } else if (name === "causal") {
    await initBackend();
    const { benchCausal } = await import("./causal.ts");
    result = await benchCausal({ model: values.model as string | undefined, unit: values.unit as string | undefined, rounds: num(values, "rounds") });
  } else if (name === "live") {
    await initBackend();
    const { benchLive } = await import("./live.ts");
    result = await benchLive({ model: values.model as string | undefined, unit: values.unit as string | undefined, rounds: num(values, "rounds"), chars: num(values, "chars") });
  } else {
    throw new UsageError(`unknown benchmark "${name ?? ""}" (known: train, record, search, ui, load, causal, live, cli, cores)`);
  }
  process.stdout.write(values.json ? JSON.stringify(result) + "\n" : JSON.stringify(result, null, 2) + "\n");
}
