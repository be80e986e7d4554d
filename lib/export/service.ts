import "server-only";
import { join } from "node:path";
import { audited, type AuditedCall } from "@/lib/access/gate";
import { recordAudit } from "@/lib/audit";
import type { Staff } from "@/lib/auth/session";
import type { Role } from "@/lib/auth/roles";
import { createExportClient, exportRatePerMin, getSharedBudget, readDevdraftConfig, readExportShare } from "@/lib/devdraft";
import { log } from "@/lib/log";
import { createExportEngine, type ExportEngine } from "./engine";
import type { ExportRequest } from "./types";

/** Who may export customers; of those, who gets unmasked email and phone. */
export const EXPORTERS: readonly Role[] = ["admin"];
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

/** An export door through the one gate: admins only, every refusal on record like any customer-data refusal. */
export function exportDoor<T>(call: Omit<AuditedCall<T>, "roles">): Promise<T> {
  return audited({ ...call, roles: EXPORTERS });
}

export function startExport(staff: Staff, request: ExportRequest, requestId: string) {
  const { bom = false, ...filters } = request;
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
  });
  log.info({ requestId, staff: staff.id, exportId: job.id, query }, "customers.export started");
  return job;
}
