/**
 * End-to-end tests: the real app (`cellscope serve`) in Debian's Chromium.
 *
 * Playwright's own browser downloads don't work offline, so this uses the
 * system Chromium (`apt-get install -y chromium`): /usr/bin/chromium, or
 * $CHROMIUM_PATH. The server runs against a throwaway database, data/e2e.db,
 * deleted before each run, and the fixture model in e2e/fixtures/models
 * (a small 2×64 LSTM on War and Peace), which set-up records into it.
 */
import { defineConfig, devices } from "@playwright/test";

// CELLSCOPE_E2E_PORT / CELLSCOPE_E2E_DB let two checkouts run their suites side by side.
const PORT = Number(process.env.CELLSCOPE_E2E_PORT ?? 3100);
const E2E_DB = process.env.CELLSCOPE_E2E_DB ?? "data/e2e.db";

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? "line" : "list",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
          // --no-sandbox: runs as root. The network flags keep Chromium from
          // calling home (there is no network here, and it floods the resolver).
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: {
    // `cellscope serve` migrates the database, records the fixture model (about
    // 20 s), builds the UI if it is stale (up to a few minutes on two cores),
    // then runs `next start`.
    // CELLSCOPE_E2E_SERVER overrides the command (e.g. to try another entry point).
    command: process.env.CELLSCOPE_E2E_SERVER ?? `rm -f ${E2E_DB} ${E2E_DB}-wal ${E2E_DB}-shm && node bin/cellscope.js serve --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    env: {
      CELLSCOPE_DB: E2E_DB,
      CELLSCOPE_MODELS: "e2e/fixtures/models",
      NEXT_TELEMETRY_DISABLED: "1",
      CHECKPOINT_DISABLE: "1",
    },
    timeout: 600_000,
    reuseExistingServer: !process.env.CI,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});
