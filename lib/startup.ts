import "server-only";
import { recordAudit } from "@/lib/audit";
import { closeAnonymousRefusals } from "@/lib/access/gate";
import { portalStartEvent } from "@/lib/audit/start-event";
import { WitnessQuorumError } from "@/lib/audit/checkpoint-writer";
import { loadSigningKey, type CheckpointSettings } from "@/lib/audit/checkpoints";
import { createWitnessPoster, type WitnessOutcome } from "@/lib/audit/witness-client";
import { verifierKeyText } from "@/lib/audit/signed-note";
import { log } from "@/lib/log";
import { ensureStaffSeeded } from "@/lib/auth/seed";
import { ConfigProblems, loadConfig, type PortalConfig } from "@/lib/config";
import { closeServices, existingServices, startServices, type Services } from "@/lib/services";
import { installShutdown, onShutdown, onShutdownCloseStores } from "@/lib/lifecycle/shutdown";
import { startSiemStreaming } from "@/lib/siem";
import { stopTracing } from "@/lib/observe/tracing";

/**
 * Checks every setting, opens the store (applying migrations), seeds staff, records `portal.start`, starts the
 * audit schedule and the SIEM stream; exits on failure.
 */
export async function checkStartupOrExit(): Promise<void> {
  let config: PortalConfig;
  try {
    config = loadConfig();
  } catch (err) {
    exitWith(err instanceof ConfigProblems ? err.problems : [String(err)]);
  }
  installLifecycle(config.shutdown);
  // The store, the upstream client and budget, the recorder and the export engine: built here from the checked
  // configuration (lib/services.ts), each part opened on its first use below.
  const services = startServices(config);
  // Each step needs the ones before it; the first that fails stops the start.
  const steps: [string, () => unknown][] = [
    [
      "the store could not be opened",
      async () => {
        await services.db();
        await ensureStaffSeeded();
        // Chain verification and retention on a schedule, shown on the audit integrity panel.
        services.startAuditSchedule();
      },
    ],
    ["audit checkpoints", () => startCheckpoints(config.checkpoints, services)],
    // An instance that cannot write its audit log could not answer any audited request either.
    ["the start could not be recorded in the audit log", () => recordAudit(portalStartEvent())],
    // The audit log is the outbox: streaming starts from each sink's cursor, so nothing recorded before is missed.
    ["SIEM streaming", () => startSiemStreaming(services.startSiem, config.siem)],
    // After portal.start: expiries and resumed jobs come after the start on record.
    ["export jobs", () => services.startExportUpkeep()],
    ["bulk-viewing alerts", () => startAlerts(config, services)],
  ];
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (err) {
      exitWith([`${what}: ${err instanceof Error ? err.message : String(err)}`]);
    }
  }
}

function exitWith(problems: string[]): never {
  for (const line of problems) process.stderr.write(`portal: ${line}\n`);
  process.exit(1);
}

/**
 * SIGTERM/SIGINT → lib/lifecycle/shutdown.ts. Hooks run in this order after the requests in flight finished: the
 * anonymous refusal summaries, the audit schedule, the audit recorder's queued writes, (services registered later),
 * the last checkpoint; then the store closes.
 */
function installLifecycle(settings: PortalConfig["shutdown"]): void {
  // Those that record events go first: the summaries of anonymous refusals held in memory, a verification running.
  onShutdown("anonymous refusal summaries", async () => {
    await closeAnonymousRefusals();
  });
  onShutdown("audit schedule", async () => {
    await existingServices()?.stopJob("auditSchedule");
  });
  // The bulk-viewing detector: a pass in progress finishes (its alert and event in one transaction), no new one starts.
  onShutdown("bulk-viewing alerts", async () => {
    await existingServices()?.stopJob("alerts");
  });
  // Export runners stop and give their leases back, so another instance (or this one restarted) resumes at once;
  // after a crash the lease runs out instead (15 s).
  onShutdown("export jobs", async () => {
    await existingServices()?.stopExports();
  });
  // Then the recorder: its queued writes commit, later records are refused.
  onShutdown("audit recorder", async () => {
    await existingServices()?.closeRecorder();
  });
  // Spans of the last requests leave before the process does (nothing to do when tracing is off).
  onShutdown("traces", stopTracing);
  // The SIEM stream's last attempt: after the recorder, so the events it flushed last are shipped too.
  onShutdown("SIEM stream", () => existingServices()?.stopJob("siem"));
  // The last signed checkpoint, after every hook above: it covers every event.
  onShutdown("audit checkpoint", () => existingServices()?.stopJob("checkpoints"), "final");
  // Last, whatever the services still hold open: the stores.
  onShutdownCloseStores(closeServices);
  installShutdown({ deadlineMs: settings.SHUTDOWN_DEADLINE_MS, readinessGraceMs: settings.SHUTDOWN_READINESS_GRACE_MS, log });
}

/** Loads (or on first start generates) the signing key and starts signing checkpoints of the audit tree. */
function startCheckpoints(settings: CheckpointSettings, { db, startCheckpoints: start }: Services): void {
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
  start({
    signer,
    origin: settings.origin,
    dir: settings.dir,
    intervalMs: settings.intervalMs,
    onError: (err) =>
      log.error(
        { err },
        err instanceof WitnessQuorumError
          ? "an audit checkpoint has fewer witness cosignatures than AUDIT_WITNESS_QUORUM"
          : "could not write an audit checkpoint",
      ),
    ...(settings.witnesses.length > 0
      ? {
          witnesses: createWitnessPoster({ db, witnesses: settings.witnesses, timeoutMs: settings.witnessTimeoutMs }),
          witnessQuorum: settings.witnessQuorum,
          onWitnesses: (file: string, outcomes: WitnessOutcome[]) => {
            for (const o of outcomes)
              if (o.error)
                log.warn(
                  { witness: o.name, url: o.url, file, reason: o.error },
                  "an audit witness did not cosign the checkpoint; trying again with the next one",
                );
          },
        }
      : {}),
  });
  log.info({ dir: settings.dir, verifierKey: verifierKeyText(signer), intervalMs: settings.intervalMs }, "signing audit checkpoints");
}

/** Bulk-viewing alerts: detected in the background of every instance, raised and e-mailed once (lib/audit/alert.ts). */
function startAlerts({ audit, alertMail: mail, portal }: PortalConfig, services: Services): void {
  services.startAlerts({
    threshold: audit.AUDIT_ALERT_CUSTOMERS_PER_HOUR,
    intervalMs: audit.AUDIT_ALERT_CHECK_INTERVAL_MS,
    mail,
    portalUrl: portal.NEXTAUTH_URL ?? null,
    onError: (err) => log.error({ err }, "bulk-viewing alerts: a detection or e-mail pass failed"),
    onRaised: (ids) => log.warn({ alerts: ids }, "bulk-viewing alert raised"),
  });
  // Where the mail goes, never how to log in to the server.
  if (mail) log.info({ smtpHost: new URL(mail.smtpUrl).host, to: mail.to.length }, "alert e-mail on");
  else log.info("alert e-mail off (ALERT_SMTP_URL, ALERT_EMAIL_FROM, ALERT_EMAIL_TO not set)");
}
