import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig, devices } from "@playwright/test";

const PORTAL_PORT = process.env.E2E_PORTAL_PORT ?? "3100";
const SANDBOX_PORT = process.env.E2E_SANDBOX_PORT ?? "4110";
const OIDC_PORT = process.env.E2E_OIDC_PORT ?? "4120";
// One fresh store per run; set on process.env so the workers see the same directory.
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), "portal-e2e-"));

export const e2e = {
  portalUrl: `http://127.0.0.1:${PORTAL_PORT}`,
  sandboxUrl: `http://127.0.0.1:${SANDBOX_PORT}`,
  oidcUrl: `http://127.0.0.1:${OIDC_PORT}`,
  dataDir: process.env.E2E_DATA_DIR,
};

export default defineConfig({
  testDir: "e2e",
  // Its own folder: Playwright empties outputDir at start, and scripts/test.mjs keeps its summary beside it.
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json"]],
  use: {
    baseURL: e2e.portalUrl,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [
    { name: "chromium", use: { ...devices["Desktop Chrome"] }, testIgnore: /upstream-storm\.spec\.ts/ },
    // Last: after a 429 storm the portal rightly holds every upstream call back for Devdraft's delay.
    { name: "upstream-storm", use: { ...devices["Desktop Chrome"] }, testMatch: /upstream-storm\.spec\.ts/, dependencies: ["chromium"] },
  ],
  webServer: [
    {
      command: "node --import tsx sandbox/main.ts",
      url: `${e2e.sandboxUrl}/__sandbox/health`,
      env: { SANDBOX_PORT, SANDBOX_RATE_LIMIT: "600" },
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
      stdout: "pipe",
    },
    {
      command: "node --import tsx e2e/oidc/server.ts",
      url: `${e2e.oidcUrl}/.well-known/openid-configuration`,
      env: { OIDC_TEST_PORT: OIDC_PORT, OIDC_TEST_PORTAL_URL: e2e.portalUrl },
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
    {
      command: "node scripts/start.mjs",
      url: `${e2e.portalUrl}/api/health`,
      env: {
        PORT: PORTAL_PORT,
        SANDBOX_PORT,
        PORTAL_SPAWN_SANDBOX: "0",
        PORTAL_DATA_DIR: process.env.E2E_DATA_DIR,
        NEXTAUTH_URL: e2e.portalUrl,
        DEVDRAFT_RATE_LIMIT_PER_MIN: "600",
        // Faults are switched on and off between tests: a cached answer would hide them.
        DEVDRAFT_CACHE_TTL_MS: "0",
        // Serve-stale keeps answers even with the cache off: short, so a view another spec saw minutes ago cannot
        // stand in for the outage a later spec switches on (customers-faults.spec.ts tests it within seconds).
        DEVDRAFT_STALE_MAX_SECONDS: "30",
        DEVDRAFT_TIMEOUT_MS: "3000",
        // Every spec signs out and probes from 127.0.0.1: record each refusal in full (the summary has unit tests).
        AUDIT_FULL_REFUSALS_PER_MINUTE: "100000",
        DEVDRAFT_ATTEMPT_TIMEOUT_MS: "1500",
        OIDC_ISSUER: e2e.oidcUrl,
        OIDC_CLIENT_ID: "portal",
        OIDC_CLIENT_SECRET: "portal-test-secret",
        OIDC_NAME: "Test IdP",
        LOG_LEVEL: "info",
        PORTAL_LOG_FILE: `${process.env.E2E_DATA_DIR}/portal.log`,
      },
      timeout: 600_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
      stdout: "pipe",
    },
  ],
});
