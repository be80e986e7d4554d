import "server-only";
import { z } from "zod";
import { parseSettings } from "@/lib/config/fields";
import { createRateBudget, type RateBudget } from "./budget";
import { createDevdraftClient, type DevdraftClient } from "./client";
import type { DevdraftConfig } from "./config";

const DEFAULT_EXPORT_BUDGET_SHARE = 0.5;
// An export may queue a whole window for its share; the job's own deadline bounds the total.
const EXPORT_WAIT_MS = 65_000;

const shareSchema = z.preprocess(
  (value) => (value === "" ? undefined : value),
  z.coerce
    .number({ error: "EXPORT_BUDGET_SHARE must be a number above 0 and at most 1" })
    .gt(0, "EXPORT_BUDGET_SHARE must be above 0")
    .max(1, "EXPORT_BUDGET_SHARE must be at most 1")
    .default(DEFAULT_EXPORT_BUDGET_SHARE),
);

/** `EXPORT_BUDGET_SHARE` (default 0.5): the part of the upstream budget an export may use. */
export function readExportShare(env: Record<string, string | undefined> = process.env): number {
  return parseSettings(z.object({ EXPORT_BUDGET_SHARE: shareSchema }), env).EXPORT_BUDGET_SHARE;
}

/** Requests per minute an export may send: its share of the portal's budget, at least one. */
export function exportRatePerMin(ratePerMin: number, share: number): number {
  return Math.max(1, Math.floor(ratePerMin * share));
}

export type ExportBudgetOptions = { shared: RateBudget; perMinute: number; now?: () => number; windowMs?: number };

/**
 * A slot from the export's own allowance first, then from the portal's one shared budget in the export lane
 * (behind page views, with its reserved share: lib/devdraft/fair-share.ts), so an export never exceeds its share
 * and every send still counts against Devdraft's limit.
 */
export function createExportBudget({ shared, perMinute, now, windowMs }: ExportBudgetOptions): RateBudget {
  const own = createRateBudget({ perMinute, maxWaitMs: EXPORT_WAIT_MS, now, windowMs });
  return {
    async acquire(options) {
      await own.acquire({ ...options, lane: "export" });
      await shared.acquire({ ...options, lane: "export" });
    },
    penalize(retryAfterMs) {
      shared.penalize(retryAfterMs);
      own.penalize(retryAfterMs);
    },
    async available() {
      return Math.min((await own.available?.()) ?? perMinute, (await shared.available?.()) ?? perMinute);
    },
  };
}

export type ExportClientOptions = {
  config: DevdraftConfig;
  shared: RateBudget;
  share: number;
  fetch?: typeof globalThis.fetch;
};

/** A Devdraft client for exports: no TTL cache and never a stale answer (every page fresh), long enough to queue for its share. */
export function createExportClient({ config, shared, share, fetch }: ExportClientOptions): DevdraftClient {
  const exportConfig = { ...config, cacheTtlMs: 0, staleMaxMs: 0, deadlineMs: Math.max(config.deadlineMs, EXPORT_WAIT_MS + config.attemptTimeoutMs) };
  const budget = createExportBudget({ shared, perMinute: exportRatePerMin(config.ratePerMin, share) });
  return createDevdraftClient({ config: exportConfig, budget, fetch });
}
