import "server-only";
import type { ExpressionBuilder, JoinBuilder, Kysely } from "kysely";
import { readsPartitioned } from "../db/audit-partitions";
import type { Database } from "../db/schema";

type Tables = "audit_targets" | "audit_events";

/**
 * audit_targets to its event. On PostgreSQL both tables are partitioned by the event's month (migration 0020), so
 * the join also matches `at` with the target row's `event_at`: each probe then reaches the one partition that holds
 * the event (run-time pruning) instead of one index probe per month.
 */
export function onTargetEvent(db: Kysely<Database>) {
  const partitioned = readsPartitioned(db);
  return (join: JoinBuilder<Database, Tables>) => {
    const bySeq = join.onRef("audit_events.seq", "=", "audit_targets.event_seq");
    return partitioned ? bySeq.onRef("audit_events.at", "=", "audit_targets.event_at") : bySeq;
  };
}

/** A time range on the customer index too (PostgreSQL), so a time-bounded read prunes audit_targets' months as well. */
export function targetTimeRange(db: Kysely<Database>, eb: ExpressionBuilder<Database, Tables>, from: string | undefined, to: string | undefined) {
  if (!readsPartitioned(db)) return [];
  return [...(from ? [eb("audit_targets.event_at", ">=", from)] : []), ...(to ? [eb("audit_targets.event_at", "<", to)] : [])];
}
