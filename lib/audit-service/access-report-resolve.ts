import "server-only";
import { listErrorOf } from "@/lib/http/api-error";
import type { ListError } from "@/lib/errors";
import { InvalidQueryError } from "@/lib/errors";
import type { AccessReport } from "@/lib/audit/access-report";
import { refuseAccessReport, runAccessReport } from "./access-report-gate";
import { type AccessReportParams, parseAccessReportRequest, rawAccessReportQuery } from "@/lib/audit/access-report-request";
import { type CustomerMatch, lookupCustomersByEmail } from "./customer-lookup";

/** What the report page shows for a filled-in form. */
export type AccessReportState =
  | { kind: "invalid"; messages: string[] }
  | { kind: "no-match"; email: string }
  | { kind: "incomplete"; email: string }
  | { kind: "choose"; email: string; matches: CustomerMatch[]; period: { from: Date; to: Date } }
  | { kind: "failed"; error: ListError }
  | { kind: "report"; report: AccessReport; period: { from: Date; to: Date }; found: { email: string; name: string } | null };

/**
 * Validates, looks an email up (its own `customer.lookup` event), and runs the report for exactly one customer.
 * Several customers with that email are listed for the auditor to pick; none is an answer, an outage is not.
 */
export async function resolveAccessReport(params: AccessReportParams, requestId: string): Promise<AccessReportState> {
  const raw = rawAccessReportQuery(params);
  try {
    const parsed = parseAccessReportRequest(params);
    if (!parsed.ok) return await refuseAccessReport(requestId, raw, new InvalidQueryError(parsed.messages));
    const { customer, from, to } = parsed.request;
    const period = { from, to };
    let found: { email: string; name: string } | null = null;
    let id: string;
    if (customer.by === "email") {
      const lookup = await lookupCustomersByEmail(customer.email, requestId);
      const [only, ...others] = lookup.matches;
      if (lookup.incomplete) return { kind: "incomplete", email: customer.email };
      if (!only) return { kind: "no-match", email: customer.email };
      if (others.length > 0) return { kind: "choose", email: customer.email, matches: lookup.matches, period };
      found = { email: customer.email, name: only.name };
      id = only.id;
    } else {
      id = customer.id;
    }
    return { kind: "report", report: await runAccessReport(requestId, raw, id, period), period, found };
  } catch (err) {
    if (err instanceof InvalidQueryError) return { kind: "invalid", messages: Array.isArray(err.body) ? err.body : [err.body] };
    return { kind: "failed", error: listErrorOf(err, requestId) };
  }
}
