import "server-only";
import type { Kysely } from "kysely";
import type { AuditEventRow, Database } from "../db/schema";
import { onTargetEvent } from "./targets-join";

/** Events that touched `customerId`, newest first; an index lookup via audit_targets. */
export async function recentAccessForCustomer(db: Kysely<Database>, customerId: string, limit = 50): Promise<AuditEventRow[]> {
  return recentAccessQuery(db, customerId, limit).execute();
}

export function recentAccessQuery(db: Kysely<Database>, customerId: string, limit: number) {
  return db
    .selectFrom("audit_targets")
    .innerJoin("audit_events", onTargetEvent(db))
    .selectAll("audit_events")
    .where("audit_targets.customer_id", "=", customerId)
    .orderBy("audit_targets.event_seq", "desc")
    .limit(Math.max(1, Math.floor(limit)));
}

/** Every event written for one request, in chain order. */
export async function eventsByRequestId(db: Kysely<Database>, requestId: string): Promise<AuditEventRow[]> {
  return requestEventsQuery(db, requestId).execute();
}

export function requestEventsQuery(db: Kysely<Database>, requestId: string) {
  return db.selectFrom("audit_events").selectAll().where("request_id", "=", requestId).orderBy("seq");
}
