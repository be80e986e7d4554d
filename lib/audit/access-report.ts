import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { CUSTOMER_ACTIONS } from "./actions";
import { onTargetEvent, targetTimeRange } from "./targets-join";

/** Most rows one report holds; past this it says "more than" instead of growing without bound. */
const ACCESS_REPORT_MAX_ROWS = 10_000;

/** One access to the customer: what was done, when, by whom, from where and why. */
export interface AccessReportRow {
  seq: number;
  id: string;
  at: string;
  action: string;
  outcome: string;
  purpose: string | null;
  refusal: string | null;
  staffId: string | null;
  /** The staff member's email as recorded at the time. */
  staffEmail: string | null;
  /** The staff member's name today (null when no longer in the staff table). */
  staffName: string | null;
  clientAddress: string | null;
  sessionId: string | null;
  requestId: string;
}

export interface AccessReport {
  customerId: string;
  /** The period [from, to) as ISO instants. */
  from: string;
  to: string;
  rows: AccessReportRow[];
  /** True when the period holds more than `limit` accesses: `rows` are the oldest `limit` of them. */
  truncated: boolean;
  limit: number;
}

export type AccessReportPeriod = { customerId: string; from: Date; to: Date };

/**
 * Every access to one customer in [from, to), oldest first: the events naming the customer as a target
 * (the audit_targets (customer_id, event_seq) index) whose action is of kind `customer` in the registry.
 */
export async function accessReport(db: Kysely<Database>, period: AccessReportPeriod, limit = ACCESS_REPORT_MAX_ROWS): Promise<AccessReport> {
  const from = period.from.toISOString();
  const to = period.to.toISOString();
  const rows = await accessReportQuery(db, period, limit).execute();
  return {
    customerId: period.customerId,
    from,
    to,
    truncated: rows.length > limit,
    limit,
    rows: rows.slice(0, limit).map((r) => ({
      seq: r.seq,
      id: r.id,
      at: r.at,
      action: r.action,
      outcome: r.outcome,
      purpose: r.purpose,
      refusal: r.refusal,
      staffId: r.actor_id,
      staffEmail: r.actor_email,
      staffName: r.staff_name,
      clientAddress: r.client_address,
      sessionId: r.session_id,
      requestId: r.request_id,
    })),
  };
}

/** The report's one query: limit + 1 rows, so a longer period says "more than" without counting it. */
export function accessReportQuery(db: Kysely<Database>, period: AccessReportPeriod, limit: number) {
  return db
    .selectFrom("audit_targets")
    .innerJoin("audit_events", onTargetEvent(db))
    .leftJoin("staff", "staff.id", "audit_events.actor_id")
    .select([
      "audit_events.seq",
      "audit_events.id",
      "audit_events.at",
      "audit_events.action",
      "audit_events.outcome",
      "audit_events.purpose",
      "audit_events.refusal",
      "audit_events.actor_id",
      "audit_events.actor_email",
      "staff.name as staff_name",
      "audit_events.client_address",
      "audit_events.session_id",
      "audit_events.request_id",
    ])
    .where("audit_targets.customer_id", "=", period.customerId)
    .where("audit_events.action", "in", CUSTOMER_ACTIONS)
    .where("audit_events.at", ">=", period.from.toISOString())
    .where("audit_events.at", "<", period.to.toISOString())
    .where((eb) => eb.and(targetTimeRange(db, eb, period.from.toISOString(), period.to.toISOString())))
    .orderBy("audit_targets.event_seq", "asc")
    .limit(limit + 1);
}
