import "server-only";
import { join } from "node:path";
import { audited, type AuditedCall } from "@/lib/access/gate";
import { exportPermission } from "@/lib/access/grants";
import { recordAudit } from "@/lib/audit";
import { getDb } from "@/lib/db";
import type { Staff } from "@/lib/auth/session";
import type { Role } from "@/lib/auth/roles";
import { createExportClient, exportRatePerMin, getSharedBudget, readDevdraftConfig, readExportShare } from "@/lib/devdraft";
import { log } from "@/lib/log";
import { createExportEngine, type ExportEngine } from "./engine";
import type { ExportRequest } from "./types";

/** Who may export customers by role; of those, who gets unmasked email and phone. An agent needs a live grant. */
export const EXPORTERS: readonly Role[] = ["admin"];
/** Who may reach the export doors at all: exporters, and agents (whose every start and download checks a grant). */
const EXPORT_DOOR_ROLES: readonly Role[] = ["admin", "agent"];
const UNMASKED: readonly Role[] = ["admin"];

declare global {
  // One engine per process, surviving Next's module reloads in development.
  var __customerExports: ExportEngine | undefined;
}

/** The process-wide export engine on the shared upstream budget and the process-wide audit recorder. */
export function getExportEngine(): ExportEngine {
  if (globalThis.__customerExports === undefined) {
    const config = readDevdraftConfig();
    const share = readExportShare();
    const dir = join(process.env.PORTAL_DATA_DIR?.trim() || ".data", "exports");
    globalThis.__customerExports = createExportEngine({
      client: createExportClient({ config, shared: getSharedBudget(), share }),
      record: recordAudit,
      dir,
      ratePerMin: exportRatePerMin(config.ratePerMin, share),
    });
    // Finished files live an hour at most; the timer must not keep the process alive.
    setInterval(() => void globalThis.__customerExports?.sweep(), 60_000).unref();
  }
  return globalThis.__customerExports;
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

export function startExport(staff: Staff, request: ExportRequest, requestId: string, why: { purpose: string; grantId: string | null }) {
  const { bom = false, reason: _reason, ticket: _ticket, ...filters } = request;
  // An empty text filter matches everyone: drop it, as the list does.
  const query = {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.name ? { name: filters.name } : {}),
    ...(filters.email ? { email: filters.email } : {}),
  };
  const job = getExportEngine().start({
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
