import "server-only";
import { recordAudit, startAuditSchedule } from "@/lib/audit";
import { portalStartEvent } from "@/lib/audit/start-event";
import { readAccessSettings } from "@/lib/access/settings";
import { readAuditSettings } from "@/lib/audit/settings";
import { ensureStaffSeeded } from "@/lib/auth/seed";
import { getDb } from "@/lib/db";
import { readDevdraftConfig } from "@/lib/devdraft/config";
import { readPortalEnv } from "@/lib/env";

/**
 * Checks every setting, opens the store (applying migrations), seeds staff, records `portal.start`, starts the
 * audit schedule; exits on failure.
 */
export async function checkStartupOrExit(): Promise<void> {
  const problems: string[] = [];
  for (const check of [readPortalEnv, readDevdraftConfig, readAuditSettings, readAccessSettings]) {
    try {
      check();
    } catch (err) {
      problems.push(...(err instanceof Error ? err.message.split("\n") : [String(err)]));
    }
  }
  if (problems.length === 0) {
    try {
      await getDb();
      await ensureStaffSeeded();
      // Chain verification and retention on a schedule, shown on the audit integrity panel.
      startAuditSchedule();
    } catch (err) {
      problems.push(`the store could not be opened: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (problems.length === 0) {
    try {
      // An instance that cannot write its audit log could not answer any audited request either.
      await recordAudit(portalStartEvent());
    } catch (err) {
      problems.push(`the start could not be recorded in the audit log: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (problems.length > 0) {
    for (const line of problems) process.stderr.write(`portal: ${line}\n`);
    process.exit(1);
  }
}
