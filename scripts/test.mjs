#!/usr/bin/env node
// `npm test`: every test on a fresh machine. Starts a throwaway PostgreSQL so the store's tests run on
// both stores, runs Vitest, then the Playwright browser tests, and ends with one "N passed, N failed" line.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureChromium } from "./ensure-chromium.mjs";
import { startPostgres, stopPostgres } from "./postgres.mjs";

const root = resolve(import.meta.dirname, "..");
// Not under test-results/: Playwright empties that (its outputDir) when it starts, Vitest's counts with it.
const out = join(root, "test-summary");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" };

ensureChromium();
const ownPostgres = !env.TEST_DATABASE_URL;
if (ownPostgres) env.TEST_DATABASE_URL = await startPostgres();

function run(bin, args) {
  return spawnSync(process.execPath, [join(root, "node_modules", ...bin), ...args], { cwd: root, env, stdio: "inherit" }).status;
}

let failedRuns = 0;
try {
  const unitJson = join(out, "vitest.json");
  if (run(["vitest", "vitest.mjs"], ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${unitJson}`]) !== 0) failedRuns++;
  env.PLAYWRIGHT_JSON_OUTPUT_NAME = join(out, "playwright.json");
  if (run(["@playwright", "test", "cli.js"], ["test"]) !== 0) failedRuns++;
} finally {
  if (ownPostgres) await stopPostgres();
}

function counts() {
  let passed = 0,
    failed = 0,
    skipped = 0;
  const unit = join(out, "vitest.json");
  if (existsSync(unit)) {
    const r = JSON.parse(readFileSync(unit, "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + r.numTodoTests;
  }
  const e2e = join(out, "playwright.json");
  if (existsSync(e2e)) {
    const s = JSON.parse(readFileSync(e2e, "utf8")).stats;
    passed += s.expected + s.flaky;
    failed += s.unexpected;
    skipped += s.skipped;
  }
  return { passed, failed, skipped };
}

const { passed, failed, skipped } = counts();
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failedRuns > 0 || failed > 0 || passed === 0 ? 1 : 0);
