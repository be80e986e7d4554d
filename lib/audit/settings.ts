import "server-only";
import { z } from "zod";

const positiveInt = (name: string, fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : Number(v)))
    .pipe(z.number({ error: `${name} must be a whole number` }).int(`${name} must be a whole number`).positive(`${name} must be greater than 0`));

const auditEnv = z.object({
  /** Whole UTC days of events to keep (PCI DSS 10.5.1 asks for at least a year). */
  AUDIT_RETENTION_DAYS: positiveInt("AUDIT_RETENTION_DAYS", 400),
  /** Distinct customers one staff member may see in a clock hour before being flagged. */
  AUDIT_ALERT_CUSTOMERS_PER_HOUR: positiveInt("AUDIT_ALERT_CUSTOMERS_PER_HOUR", 500),
  /** How often each instance looks for bulk viewing and raises alerts (default a minute; 1 s to 1 h). */
  AUDIT_ALERT_CHECK_INTERVAL_MS: positiveInt("AUDIT_ALERT_CHECK_INTERVAL_MS", 60_000).refine(
    (n) => n >= 1000 && n <= 3_600_000,
    "AUDIT_ALERT_CHECK_INTERVAL_MS must be from 1000 to 3600000",
  ),
  /** How often the server re-verifies the whole chain (default 15 minutes). */
  AUDIT_VERIFY_INTERVAL_MS: positiveInt("AUDIT_VERIFY_INTERVAL_MS", 15 * 60_000),
  /** Refusals of clients with no session recorded in full per address and minute before they are summarised. */
  AUDIT_FULL_REFUSALS_PER_MINUTE: positiveInt("AUDIT_FULL_REFUSALS_PER_MINUTE", 20),
});

export type AuditSettings = z.infer<typeof auditEnv>;

/** Read when needed (not at import, so `next build` never trips on them); one line per problem. */
export function readAuditSettings(env: Readonly<Record<string, string | undefined>> = process.env): AuditSettings {
  const parsed = auditEnv.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new Error(parsed.error.issues.map((i) => i.message).join("\n"));
}
