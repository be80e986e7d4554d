import "server-only";
import { services } from "@/lib/service-slot";
import { audited, type AuditedCall } from "@/lib/access/gate";
import { exportPermission } from "@/lib/access/grants";
import { getDb } from "@/lib/db";
import type { Staff } from "@/lib/auth/session";
import type { Role } from "@/lib/roles";
import { log } from "@/lib/log";
import type { ExportEngine } from "./engine";
import type { ExportRequest } from "./types";

/** Who may reach the export doors at all: exporters, and agents (whose every start and download checks a grant). */
const EXPORT_DOOR_ROLES: readonly Role[] = ["admin", "agent"];
const UNMASKED: readonly Role[] = ["admin"];

/** The exports' part of the services lib/services.ts builds (lib/service-slot.ts). */
export type ExportServices = {
  /** The export engine on the shared store, the shared upstream budget and the audit recorder. */
  exports: () => ExportEngine;
};

const engine = (): ExportEngine => services<ExportServices>().exports();

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
  const job = await engine().start({
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
