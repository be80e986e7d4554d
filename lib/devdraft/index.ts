import "server-only";
import { processScope } from "@/lib/process-scope";
import { getDb, storeConfigFromEnv } from "@/lib/db";
import { createStoreBudget } from "./store-budget";
import { createRateBudget, type RateBudget } from "./budget";
import { createDevdraftClient, type DevdraftClient } from "./client";
import { readDevdraftConfig } from "./config";

const held = processScope("devdraft/index", (): { client?: DevdraftClient; budget?: RateBudget } => ({}));

export { createRateBudget, type RateBudget } from "./budget";
export { createDevdraftClient, type CallOptions, type DevdraftClient, type Freshness } from "./client";
export { ConfigError, readDevdraftConfig, type DevdraftConfig } from "./config";
export { DevdraftError } from "./errors";
export { createExportBudget, createExportClient, exportRatePerMin, readExportShare } from "./export-client";
export { type Customer } from "./schemas";

// Longest a request may queue for the shared budget; the call's own deadline usually ends it sooner.
const BUDGET_MAX_WAIT_MS = 5_000;

/** The portal's one upstream budget, shared by the interactive client and exports. */
export function getSharedBudget(): RateBudget {
  if (held.budget === undefined) {
    const config = readDevdraftConfig();
    const options = { perMinute: config.ratePerMin, maxWaitMs: BUDGET_MAX_WAIT_MS };
    // Several instances share PostgreSQL, so the budget must live there; one SQLite process keeps it in memory.
    held.budget = storeConfigFromEnv().kind === "postgres" ? createStoreBudget({ ...options, db: getDb }) : createRateBudget(options);
  }
  return held.budget;
}

/** The process-wide Devdraft client, built on first use so importing this module reads no env. */
export function getDevdraft(): DevdraftClient {
  if (held.client === undefined) {
    const config = readDevdraftConfig();
    held.client = createDevdraftClient({ config, budget: getSharedBudget() });
  }
  return held.client;
}

/** The budget if this process made one: a metrics scrape reads it but never creates one. */
export function existingBudget(): RateBudget | undefined {
  return held.budget;
}
