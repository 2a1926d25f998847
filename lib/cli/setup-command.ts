/** `cellscope setup`: migrate the store, record every model and find its detectors, seed the famous five (what `npm start` does before serving). */
import { parseFlags } from "./args.ts";
import { ProgressBar } from "./progress.ts";
import { setupStore } from "../store/setup-store.ts";
import { initBackend } from "../model/backend.ts";
import { createPrisma } from "../db.ts";
import { setupModels } from "../setup/setup.ts";

export const setupHelp = `cellscope setup   migrate the store, record every model in models/, find its detectors and seed the collection the-famous-five`;

export async function runSetup(): Promise<void> {
  const t0 = performance.now();
  await setupStore();
  await initBackend();
  const prisma = createPrisma();
  // Models record in parallel: one bar over the characters of all of them.
  const chars = new Map<string, { done: number; total: number }>();
  let bar: ProgressBar | undefined;
  try {
    await setupModels(prisma, {
      onStep: (m) => (bar ? bar.log(`cellscope: ${m}`) : process.stderr.write(`cellscope: ${m}\n`)),
      onProgress: (model, done, total, phase) => {
        const c = chars.get(model) ?? { done: 0, total };
        if (phase === "record") chars.set(model, { done, total });
        else chars.set(model, { done: c.total, total: c.total }); // statistics: the characters are done
        let all = 0, sum = 0;
        for (const v of chars.values()) (all += v.total), (sum += v.done);
        if (!bar || bar.total !== all) {
          bar?.finish();
          bar = new ProgressBar(all, "record", "chars");
        }
        bar.update(sum, { models: String(chars.size) });
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
