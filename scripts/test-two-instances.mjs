#!/usr/bin/env node
// `npm run test:two-instances`: issue 7's check alone (npm test runs it too): two portals on one
// PostgreSQL past their shared upstream budget. Starts the throwaway PostgreSQL unless TEST_DATABASE_URL
// is set; extra arguments go to Playwright. Ports: E2E_PORTAL_PORT+1/+2, E2E_SANDBOX_PORT+1 (or E2E_PAIR_*).
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { startPostgres, stopPostgres } from "./postgres.mjs";

const root = resolve(import.meta.dirname, "..");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" };
const ownPostgres = !env.TEST_DATABASE_URL;
if (ownPostgres) env.TEST_DATABASE_URL = await startPostgres();

let status = 1;
try {
  const cli = join(root, "node_modules", "@playwright", "test", "cli.js");
  const args = ["test", "e2e/two-instances.spec.ts", "--project", "chromium", "--reporter", "list", ...process.argv.slice(2)];
  status = spawnSync(process.execPath, [cli, ...args], { cwd: root, env, stdio: "inherit" }).status ?? 1;
} finally {
  if (ownPostgres) await stopPostgres();
}
process.exit(status);
