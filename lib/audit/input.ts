import "server-only";
import { z } from "zod";
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, isAuditAction } from "./actions";

// One filter set can be read to at most 10,100 customers (skip ≤ 10,000, take ≤ 100): an export of all of
// them is one event.
const MAX_TARGETS = 10_100;
/** A user agent is kept to this many characters: enough to tell browsers and scripts apart. */
export const MAX_USER_AGENT = 256;

/** Where a request came from and in which session; every field null when there is no request (CLI, schedule). */
const auditOriginSchema = z.object({
  sessionId: z.string().max(200).nullable(),
  clientAddress: z.string().max(100).nullable(),
  userAgent: z
    .string()
    .nullable()
    .transform((ua) => (ua === null ? null : ua.slice(0, MAX_USER_AGENT))),
});
export type AuditOrigin = z.input<typeof auditOriginSchema>;
export const NO_ORIGIN: AuditOrigin = { sessionId: null, clientAddress: null, userAgent: null };

export const auditInputSchema = z
  .object({
    /** The staff member, or null for anonymous (a failed sign-in carries the email tried in `query`). */
    actor: z.object({ id: z.string().min(1).max(200), email: z.string().min(1).max(320) }).nullable(),
    action: z.string().refine(isAuditAction, "action must be one of the registry's (lib/audit/actions.ts)"),
    targets: z.array(z.string().min(1).max(200)).max(MAX_TARGETS),
    query: z.record(z.string(), z.unknown()),
    requestId: z.string().min(1).max(200),
    outcome: z.enum(AUDIT_OUTCOMES),
    /** Why a refusal or failure happened, in a few words (never customer data). */
    refusal: z.string().max(500).nullable().optional(),
    /** The purpose a staff member gave for the access, where one was asked. */
    purpose: z.string().max(500).nullable().optional(),
    origin: auditOriginSchema.optional(),
    detail: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((e) => !isAuditAction(e.action) || (AUDIT_ACTIONS[e.action].outcomes as readonly string[]).includes(e.outcome), {
    error: "outcome is not one the registry lists for this action",
    path: ["outcome"],
  });

export type AuditInput = z.input<typeof auditInputSchema>;
