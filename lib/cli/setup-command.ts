/** `cellscope setup`: migrate the store and record every model (what `npm start` does before serving). */
import { parseFlags } from "./args.ts";
import { ProgressBar } from "./progress.ts";
import { setupStore } from "./serve.ts";
import { initBackend } from "../model/backend.ts";
import { createPrisma } from "../db.ts";
import { setupModels } from "../setup/setup.ts";

export const setupHelp = `cellscope setup   migrate the store, record every model in models/ and find its detectors`;

export async function runSetup(): Promise<void> {
  const t0 = performance.now();
  await setupStore();
  await initBackend();
  const prisma = createPrisma();
  let bar: ProgressBar | undefined;
  let key = "";
  try {
    await setupModels(prisma, {
      onStep: (m) => {
        bar?.finish();
        bar = undefined;
        process.stderr.write(`cellscope: ${m}\n`);
      },
      onProgress: (model, done, total, phase) => {
        if (`${model}/${phase}` !== key) {
          bar?.finish();
          key = `${model}/${phase}`;
          bar = new ProgressBar(total, `${model} ${phase}`, phase === "record" ? "chars" : "units");
        }
        bar!.update(done);
      },
    });
    bar?.finish();
    process.stderr.write(`cellscope: set-up done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  } finally {
    await prisma.$disconnect();
  }
}

export async function setupCommand(argv: string[]): Promise<void> {
  parseFlags(argv, {});
  await runSetup();
}
