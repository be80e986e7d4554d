import * as z from "zod/mini";
import { CUSTOMER_STATUSES, EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from "@/lib/customers/query";

// Shared by the route handlers and the browser: pure, no Node APIs.

export const EXPORT_TAKE = 100;
/** skip/take cannot read past this many rows of one filter set (skip ≤ 10,000, take ≤ 100). */
export const EXPORT_ROW_CAP = 10_100;

/**
 * What POST /api/exports accepts: the list's filters (paging is the export's own), a BOM switch and the reason for
 * access (`reason` + `ticket`, checked against the configured reasons by the server).
 */
export const exportRequestSchema = z.strictObject({
  status: z.optional(z.enum(CUSTOMER_STATUSES)),
  name: z.optional(z.string().check(z.maxLength(NAME_MAX_LENGTH))),
  email: z.optional(z.string().check(z.maxLength(EMAIL_MAX_LENGTH))),
  bom: z.optional(z.boolean()),
  reason: z.optional(z.string().check(z.maxLength(200))),
  ticket: z.optional(z.string().check(z.maxLength(200))),
});
export type ExportRequest = z.infer<typeof exportRequestSchema>;
export type ExportFilters = Omit<ExportRequest, "bom" | "reason" | "ticket">;

const EXPORT_STATUSES = ["running", "done", "failed", "cancelled", "expired"] as const;

/** A job as its owner sees it (GET /api/exports/{id}); never the file's path. */
export const exportProgressSchema = z.object({
  id: z.string(),
  status: z.enum(EXPORT_STATUSES),
  query: z.object({ status: z.optional(z.string()), name: z.optional(z.string()), email: z.optional(z.string()) }),
  rows: z.number(),
  pages: z.number(),
  /** Devdraft's count when it sent one, else null. */
  total: z.nullable(z.number()),
  startedAt: z.string(),
  finishedAt: z.nullable(z.string()),
  /** Time left from the budget the export may use; an upper bound (to the cap) when the total is unknown. */
  etaMs: z.nullable(z.number()),
  capped: z.boolean(),
  message: z.nullable(z.string()),
  fileReady: z.boolean(),
});
export type ExportProgress = z.infer<typeof exportProgressSchema>;
