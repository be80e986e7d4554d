import "server-only";
import { builtServices, services } from "@/lib/service-slot";
import type { RateBudget } from "./budget";
import type { DevdraftClient } from "./client";

export { createRateBudget, type RateBudget } from "./budget";
export { createDevdraftClient, type CallOptions, type DevdraftClient, type Freshness } from "./client";
export { ConfigError, type DevdraftConfig } from "./config";
export { DevdraftError } from "./errors";
export { createExportBudget, createExportClient, exportRatePerMin, readExportShare } from "./export-client";
export { type Customer } from "./schemas";

/** The upstream's part of the services lib/services.ts builds (lib/service-slot.ts). */
export type UpstreamServices = {
  /** The portal's one upstream budget, shared by the interactive client and exports. */
  budget: () => RateBudget;
  /** The budget if it was made: a metrics scrape reads it but never creates one. */
  existingBudget: () => RateBudget | undefined;
  /** The interactive Devdraft client, on the shared budget. */
  devdraft: () => DevdraftClient;
};

/** The process-wide Devdraft client. */
export const getDevdraft = (): DevdraftClient => services<UpstreamServices>().devdraft();

/** The budget if this process made one: a metrics scrape reads it but never creates one (nor the services). */
export const existingBudget = (): RateBudget | undefined => builtServices<UpstreamServices>()?.existingBudget();
