import { defineConfig } from "@playwright/test";

// Debian's Chromium, never a downloaded browser. Each test starts its own Keel
// server on its own temporary database (see tests/fixtures.ts).
export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  // A run that hangs ends here, with its report, well inside CI's limit.
  globalTimeout: 20 * 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: process.env.KEEL_E2E_WORKERS ? Number(process.env.KEEL_E2E_WORKERS) : 2,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    browserName: "chromium",
    locale: "en-US",
    launchOptions: {
      executablePath: process.env.KEEL_CHROMIUM || "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
    trace: "off",
    screenshot: "only-on-failure",
  },
});
