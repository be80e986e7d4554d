import { z } from "zod";
import { CUSTOMER_STATUSES, EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from "@/lib/customers/query";

// Shared by the route handlers and the browser: pure, no Node APIs.

export const EXPORT_TAKE = 100;
/** skip/take cannot read past this many rows of one filter set (skip ≤ 10,000, take ≤ 100). */
export const EXPORT_ROW_CAP = 10_100;

/** What POST /api/exports accepts: the list's filters (paging is the export's own) and a BOM switch. */
export const exportRequestSchema = z.strictObject({
  status: z.enum(CUSTOMER_STATUSES).optional(),
  name: z.string().max(NAME_MAX_LENGTH).optional(),
  email: z.string().max(EMAIL_MAX_LENGTH).optional(),
  bom: z.boolean().optional(),
});
export type ExportRequest = z.infer<typeof exportRequestSchema>;
export type ExportFilters = Omit<ExportRequest, "bom">;

export const EXPORT_STATUSES = ["running", "done", "failed", "cancelled"] as const;

/** A job as its owner sees it (GET /api/exports/{id}); never the file's path. */
export const exportProgressSchema = z.object({
  id: z.string(),
  status: z.enum(EXPORT_STATUSES),
  query: z.object({ status: z.string().optional(), name: z.string().optional(), email: z.string().optional() }),
  rows: z.number(),
  pages: z.number(),
  /** Devdraft's count when it sent one, else null. */
  total: z.number().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Time left from the budget the export may use; an upper bound (to the cap) when the total is unknown. */
  etaMs: z.number().nullable(),
  capped: z.boolean(),
  message: z.string().nullable(),
  fileReady: z.boolean(),
});
export type ExportProgress = z.infer<typeof exportProgressSchema>;
