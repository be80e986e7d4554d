import "server-only";
import { z } from "zod";
import { parseSettings, wholeNumber } from "@/lib/settings/fields";

const auditEnv = z.object({
  /** Whole UTC days of events to keep (PCI DSS 10.5.1 asks for at least a year). */
  AUDIT_RETENTION_DAYS: wholeNumber("AUDIT_RETENTION_DAYS", 400, 1, 36_500),
  /** Distinct customers one staff member may see in a clock hour before being flagged. */
  AUDIT_ALERT_CUSTOMERS_PER_HOUR: wholeNumber("AUDIT_ALERT_CUSTOMERS_PER_HOUR", 500, 1, 1_000_000),
  /** How often each instance looks for bulk viewing and raises alerts (default a minute; 1 s to 1 h). */
  AUDIT_ALERT_CHECK_INTERVAL_MS: wholeNumber("AUDIT_ALERT_CHECK_INTERVAL_MS", 60_000, 1_000, 3_600_000),
  /** How often the server re-verifies the whole chain (default 15 minutes). */
  AUDIT_VERIFY_INTERVAL_MS: wholeNumber("AUDIT_VERIFY_INTERVAL_MS", 15 * 60_000, 1_000, 86_400_000),
  /** Refusals of clients with no session recorded in full per address and minute before they are summarised. */
  AUDIT_FULL_REFUSALS_PER_MINUTE: wholeNumber("AUDIT_FULL_REFUSALS_PER_MINUTE", 20, 1, 100_000),
});

export type AuditSettings = z.infer<typeof auditEnv>;

/** Read when needed (not at import, so `next build` never trips on them); one line per problem. */
export function readAuditSettings(env: Readonly<Record<string, string | undefined>> = process.env): AuditSettings {
  return parseSettings(auditEnv, env);
}
