// Runs ./record-worker.ts in a worker thread from the TypeScript sources (tests,
// and the CLI while its compiled build is stale): tsx's loader first, as
// bin/cellscope.js does. The compiled CLI runs .build/cli/record-worker.mjs.
import { register } from "tsx/esm/api";

register();
await import("./record-worker.ts");
