import "server-only";
import { getDb, storeConfigFromEnv } from "@/lib/db";
import { createStoreBudget } from "./store-budget";
import { createRateBudget, type RateBudget } from "./budget";
import { createDevdraftClient, type DevdraftClient } from "./client";
import { readDevdraftConfig } from "./config";

export { createRateBudget,   type RateBudget,  } from "./budget";
export { createDevdraftClient, type CallOptions,   type DevdraftClient, type Freshness } from "./client";
export { ConfigError, readDevdraftConfig, type DevdraftConfig } from "./config";
export {  DevdraftError,   } from "./errors";
export { createExportBudget, createExportClient, exportRatePerMin, readExportShare } from "./export-client";
export {   type Customer,  } from "./schemas";

// Longest a request may queue for the shared budget; the call's own deadline usually ends it sooner.
const BUDGET_MAX_WAIT_MS = 5_000;

declare global {
  // One client per process, surviving Next's module reloads in development.
  var __devdraftClient: DevdraftClient | undefined;
  var __devdraftBudget: RateBudget | undefined;
}

/** The portal's one upstream budget, shared by the interactive client and exports. */
export function getSharedBudget(): RateBudget {
  if (globalThis.__devdraftBudget === undefined) {
    const config = readDevdraftConfig();
    const options = { perMinute: config.ratePerMin, maxWaitMs: BUDGET_MAX_WAIT_MS };
    // Several instances share PostgreSQL, so the budget must live there; one SQLite process keeps it in memory.
    globalThis.__devdraftBudget =
      storeConfigFromEnv().kind === "postgres" ? createStoreBudget({ ...options, db: getDb }) : createRateBudget(options);
  }
  return globalThis.__devdraftBudget;
}

/** The process-wide Devdraft client, built on first use so importing this module reads no env. */
export function getDevdraft(): DevdraftClient {
  if (globalThis.__devdraftClient === undefined) {
    const config = readDevdraftConfig();
    globalThis.__devdraftClient = createDevdraftClient({ config, budget: getSharedBudget() });
  }
  return globalThis.__devdraftClient;
}
