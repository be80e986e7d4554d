import "server-only";
import { audited } from "@/lib/access/gate";
import { AUDIT_READERS } from "@/lib/roles";
import type { Staff } from "@/lib/auth/session";
import { auditReadSource } from "@/lib/audit/read-source";
import { accessReport, type AccessReport } from "@/lib/audit/access-report";
import type { AccessReportRequest } from "@/lib/audit/access-report-request";

// Every door of the access report is `audit.access_report` through the one gate. Its targets stay empty:
// the report shows the log about a customer, not the customer.

const BASE = { action: "audit.access_report", roles: AUDIT_READERS } as const;

/** Whether this staff member may use the report at all; only a refusal is recorded (the form itself reads nothing). */
export function accessReportReader(requestId: string, query: Record<string, unknown>): Promise<Staff> {
  return audited({ ...BASE, requestId, query, record: "refusals", run: async (staff) => ({ value: staff }) });
}

/** Records a request that cannot be run (a bad id or period, or `err`) and throws `err` to the caller. */
export function refuseAccessReport(requestId: string, query: Record<string, unknown>, err: Error): Promise<never> {
  return audited({ ...BASE, requestId, query, run: () => Promise.reject(err) });
}

/** The report for one customer, on record with its normalised query before it is handed back. */
export function runAccessReport(
  requestId: string,
  query: Record<string, unknown>,
  customerId: string,
  request: Pick<AccessReportRequest, "from" | "to">,
  extra: Record<string, string> = {},
): Promise<AccessReport> {
  return audited({
    ...BASE,
    requestId,
    query,
    run: async () => ({
      value: await accessReport((await auditReadSource()).db, { customerId, from: request.from, to: request.to }),
      query: { customer: customerId, from: request.from.toISOString(), to: request.to.toISOString(), ...extra },
      targets: [],
    }),
  });
}
