import "server-only";
import { type Kysely, sql } from "kysely";
import type { Database } from "../db/schema";

export interface BulkViewer {
  actor_id: string | null;
  actor_email: string | null;
  /** The clock hour (UTC), `YYYY-MM-DDTHH`. */
  hour: string;
  customers: number;
}

/**
 * Staff who saw more than `threshold` distinct customers within one UTC clock hour since `since`,
 * busiest first. Only answers that released data (outcome ok) count: a refused request showed nothing.
 */
export async function bulkViewers(db: Kysely<Database>, { threshold, since }: { threshold: number; since: Date }): Promise<BulkViewer[]> {
  const hour = sql<string>`substr(audit_events.at, 1, 13)`;
  const distinct = sql<number | string>`count(distinct audit_targets.customer_id)`;
  const rows = await db
    .selectFrom("audit_events")
    .innerJoin("audit_targets", "audit_targets.event_seq", "audit_events.seq")
    .where("audit_events.at", ">=", since.toISOString())
    .where("audit_events.outcome", "=", "ok")
    .select(["audit_events.actor_id", "audit_events.actor_email", hour.as("hour"), distinct.as("customers")])
    .groupBy(["audit_events.actor_id", "audit_events.actor_email", hour])
    .having(distinct, ">", threshold)
    .orderBy(distinct, "desc")
    .orderBy("audit_events.actor_email")
    .orderBy(hour)
    .limit(50)
    .execute();
  return rows.map((r) => ({ ...r, customers: Number(r.customers) }));
}
