import "server-only";
import { processScope } from "@/lib/process-scope";
import { join } from "node:path";
import { audited, type AuditedCall } from "@/lib/access/gate";
import { exportPermission } from "@/lib/access/grants";
import { recordAudit } from "@/lib/audit";
import { getDb } from "@/lib/db";
import type { Staff } from "@/lib/auth/session";
import type { Role } from "@/lib/roles";
import { createExportClient, exportRatePerMin, getSharedBudget, readDevdraftConfig, readExportShare } from "@/lib/devdraft";
import { log } from "@/lib/log";
import { readPortalEnv } from "@/lib/env";
import { portalExportKey } from "./crypto";
import { createExportEngine, removeExportFiles, type ExportEngine } from "./engine";
import type { ExportRequest } from "./types";

const held = processScope("export/service", (): { customerExports?: ExportEngine; customerExportsStarted?: boolean } => ({}));

/** Who may reach the export doors at all: exporters, and agents (whose every start and download checks a grant). */
const EXPORT_DOOR_ROLES: readonly Role[] = ["admin", "agent"];
const UNMASKED: readonly Role[] = ["admin"];

/** Where earlier versions wrote export files; nothing is written there now (pages are in the store, encrypted). */
function legacyExportDir(): string {
  return join(process.env.PORTAL_DATA_DIR?.trim() || ".data", "exports");
}

/** The process-wide export engine on the shared store, the shared upstream budget and the audit recorder. */
export function getExportEngine(): ExportEngine {
  if (held.customerExports === undefined) {
    const config = readDevdraftConfig();
    const share = readExportShare();
    const env = readPortalEnv();
    held.customerExports = createExportEngine({
      db: getDb,
      client: createExportClient({ config, shared: getSharedBudget(), share }),
      record: recordAudit,
      key: portalExportKey(env.EXPORT_ENCRYPTION_KEY ?? env.NEXTAUTH_SECRET),
      ratePerMin: exportRatePerMin(config.ratePerMin, share),
      fileTtlMs: env.EXPORT_TTL * 1_000,
    });
  }
  return held.customerExports;
}

/**
 * At start-up: removes whatever an earlier version left on disk, expires files past EXPORT_TTL, resumes the jobs
 * whose runner is gone; then, every few seconds, takes over jobs whose runner stopped renewing its lease, and
 * every minute expires files. The timers do not keep the process alive.
 */
export async function startExportJobs(): Promise<void> {
  if (held.customerExportsStarted) return;
  held.customerExportsStarted = true;
  const engine = getExportEngine();
  const removed = await removeExportFiles(legacyExportDir());
  if (removed.length > 0) log.warn({ dir: legacyExportDir(), files: removed.length }, "removed export files left on disk by an earlier run");
  const expired = await engine.sweep();
  const resumed = await engine.resumeOrphans();
  if (expired.length > 0 || resumed.length > 0) log.info({ expired: expired.length, resumed: resumed.length }, "export jobs at start-up");
  const onError = (err: unknown) => log.error({ err }, "export job upkeep failed");
  setInterval(() => void engine.resumeOrphans().catch(onError), 5_000).unref();
  setInterval(() => void engine.sweep().catch(onError), 60_000).unref();
}

/**
 * An export door through the one gate: admins, and agents (whose start and download check a live grant in `run`);
 * every refusal on record like any customer-data refusal.
 */
export function exportDoor<T>(call: Omit<AuditedCall<T>, "roles">): Promise<T> {
  return audited({ ...call, roles: EXPORT_DOOR_ROLES });
}

/** Whether the staff member may export now (admin, or agent with a live grant), asked of the store at each call. */
export async function mayExport(staff: Staff): Promise<{ grantId: string | null }> {
  return exportPermission(await getDb(), staff);
}

export async function startExport(staff: Staff, request: ExportRequest, requestId: string, why: { purpose: string; grantId: string | null }) {
  const { bom = false, reason: _reason, ticket: _ticket, ...filters } = request;
  // An empty text filter matches everyone: drop it, as the list does.
  const query = {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.name ? { name: filters.name } : {}),
    ...(filters.email ? { email: filters.email } : {}),
  };
  const job = await getExportEngine().start({
    owner: { id: staff.id, email: staff.email },
    query,
    bom,
    unmasked: UNMASKED.includes(staff.role),
    requestId,
    purpose: why.purpose,
    grantId: why.grantId,
  });
  log.info({ requestId, staff: staff.id, exportId: job.id, query }, "customers.export started");
  return job;
}

/** Shutdown: runners stop and give their leases back, so another instance resumes their jobs at once. */
export async function shutdownExportJobs(): Promise<void> {
  await held.customerExports?.shutdown();
}
