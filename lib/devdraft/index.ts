import "server-only";
import { createRateBudget } from "./budget";
import { createDevdraftClient, type DevdraftClient } from "./client";
import { readDevdraftConfig } from "./config";

export { createRateBudget, type AcquireOptions, type RateBudget, type RateBudgetOptions } from "./budget";
export { createDevdraftClient, type CallOptions, type CustomerPage, type DevdraftClient } from "./client";
export { ConfigError, readDevdraftConfig, type DevdraftConfig } from "./config";
export { DEVDRAFT_ERROR_KINDS, DevdraftError, isDevdraftError, type DevdraftErrorKind } from "./errors";
export { KNOWN_CUSTOMER_STATUSES, KNOWN_CUSTOMER_TYPES, type Customer, type CustomerList } from "./schemas";

// Longest a request may queue for the shared budget; the call's own deadline usually ends it sooner.
const BUDGET_MAX_WAIT_MS = 5_000;

declare global {
  // One client per process, surviving Next's module reloads in development.
  var __devdraftClient: DevdraftClient | undefined;
}

/** The process-wide Devdraft client, built on first use so importing this module reads no env. */
export function getDevdraft(): DevdraftClient {
  if (globalThis.__devdraftClient === undefined) {
    const config = readDevdraftConfig();
    const budget = createRateBudget({ perMinute: config.ratePerMin, maxWaitMs: BUDGET_MAX_WAIT_MS });
    globalThis.__devdraftClient = createDevdraftClient({ config, budget });
  }
  return globalThis.__devdraftClient;
}
