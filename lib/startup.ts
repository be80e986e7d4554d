import "server-only";
import { recordAudit, startAuditSchedule } from "@/lib/audit";
import { portalStartEvent } from "@/lib/audit/start-event";
import { startProcessCheckpointWriter } from "@/lib/audit/checkpoint-writer";
import { loadSigningKey, readCheckpointSettings } from "@/lib/audit/checkpoints";
import { readAccessSettings } from "@/lib/access/settings";
import { readAuditSettings } from "@/lib/audit/settings";
import { verifierKeyText } from "@/lib/audit/signed-note";
import { log } from "@/lib/log";
import { ensureStaffSeeded } from "@/lib/auth/seed";
import { getDb } from "@/lib/db";
import { readDevdraftConfig } from "@/lib/devdraft/config";
import { readPortalEnv } from "@/lib/env";
import { startSiemStreaming } from "@/lib/siem";
import { readSiemSettings } from "@/lib/siem/settings";

/**
 * Checks every setting, opens the store (applying migrations), seeds staff, records `portal.start`, starts the
 * audit schedule and the SIEM stream; exits on failure.
 */
export async function checkStartupOrExit(): Promise<void> {
  const problems: string[] = [];
  for (const check of [readPortalEnv, readDevdraftConfig, readAuditSettings, readCheckpointSettings, readAccessSettings, readSiemSettings]) {
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
      startCheckpoints();
    } catch (err) {
      problems.push(`audit checkpoints: ${err instanceof Error ? err.message : String(err)}`);
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
  if (problems.length === 0) {
    try {
      // The audit log is the outbox: streaming starts from each sink's cursor, so nothing recorded before is missed.
      startSiemStreaming();
    } catch (err) {
      problems.push(`SIEM streaming: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (problems.length > 0) {
    for (const line of problems) process.stderr.write(`portal: ${line}\n`);
    process.exit(1);
  }
}

/** Loads (or on first start generates) the signing key and starts signing checkpoints of the audit tree. */
function startCheckpoints(): void {
  const settings = readCheckpointSettings();
  const loaded = loadSigningKey(settings, { create: true });
  if (!loaded) throw new Error("no signing key");
  const { signer, generated } = loaded;
  if (generated && settings.shared) {
    log.warn(
      { path: generated },
      "AUDIT_SIGNING_KEY is not set: generated an audit signing key beside the checkpoint directory. Several instances need one shared key: set AUDIT_SIGNING_KEY on every instance (see docs/audit.md)",
    );
  } else if (generated) {
    log.info({ path: generated }, "generated the audit signing key (mode 0600)");
  }
  startProcessCheckpointWriter({
    db: getDb,
    signer,
    origin: settings.origin,
    dir: settings.dir,
    intervalMs: settings.intervalMs,
    onError: (err) => log.error({ err }, "could not write an audit checkpoint"),
  });
  log.info({ dir: settings.dir, verifierKey: verifierKeyText(signer), intervalMs: settings.intervalMs }, "signing audit checkpoints");
}
