import "server-only";
import { z } from "zod";

export const AUDIT_OUTCOMES = ["ok", "denied", "invalid", "rate_limited", "upstream_error", "not_found"] as const;

// One filter set can be read to at most 10,100 customers (skip ≤ 10,000, take ≤ 100): an export of all of
// them is one event.
export const MAX_TARGETS = 10_100;

export const auditInputSchema = z.object({
  actor: z.object({ id: z.string().min(1).max(200), email: z.string().min(1).max(320) }).nullable(),
  /** Dotted lowercase name, e.g. `customers.list`, `customer.reveal`, `auth.signin`. */
  action: z
    .string()
    .max(100)
    .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, "action must look like `customer.view`"),
  targets: z.array(z.string().min(1).max(200)).max(MAX_TARGETS),
  query: z.record(z.string(), z.unknown()),
  requestId: z.string().min(1).max(200),
  outcome: z.enum(AUDIT_OUTCOMES),
  detail: z.record(z.string(), z.unknown()).optional(),
});

export type AuditInput = z.input<typeof auditInputSchema>;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
