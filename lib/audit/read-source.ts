import "server-only";
import type { Kysely } from "kysely";
import { cache } from "react";
import { getDb, getReadDb, hasReadReplica } from "@/lib/db/get-db";
import type { Database } from "@/lib/db/schema";
import { log } from "@/lib/log";

/** A replica this close behind counts as current: the page's own `audit.view` event is always a few ms ahead of it. */
export const REPLICA_CURRENT_WITHIN_MS = 1_000;

export interface ReplicaLag {
  /** The log is shown as it stood just before this moment (the first event the replica has not replayed yet). */
  asOf: Date;
  /** Whole seconds between `asOf` and now. */
  behindSeconds: number;
}

export interface AuditReadSource {
  db: Kysely<Database>;
  /** `primary`: no replica is set; `replica`; `fallback`: a replica is set but could not be read, so the primary is. */
  from: "primary" | "replica" | "fallback";
  /** Set only when the replica lags by REPLICA_CURRENT_WITHIN_MS or more. */
  lag: ReplicaLag | null;
}

/**
 * Where this request's audit reads (search, day counts, export, access report) go, and how stale that is.
 *
 * Staleness compares the replica's chain head with the primary's log rather than reading
 * `now() - pg_last_xact_replay_timestamp()`: the replay timestamp ages while the primary is merely idle (a current
 * replica would look hours behind), it cannot tell a replica whose WAL receiver has stopped from one that is current,
 * and it counts any write (sessions, the budget) rather than the audit log this page shows. The chain head and its
 * event commit in one transaction, so the replica's head seq is exactly what its log holds; the first event after it
 * on the primary says since when the replica has been missing something. Costs one one-row read on each.
 *
 * A replica that cannot be read (down, unreachable, not a replica of this store) is skipped for this request with a
 * warning in the log: the page reads the primary, never an error page and never "no events".
 */
export async function auditReadSource({ now = Date.now(), currentWithinMs = REPLICA_CURRENT_WITHIN_MS } = {}): Promise<AuditReadSource> {
  const primary = await getDb();
  if (!hasReadReplica()) return { db: primary, from: "primary", lag: null };
  const replica = await getReadDb();
  let replicaSeq: number;
  try {
    const head = await replica.selectFrom("audit_chain_head").select("seq").where("id", "=", 1).executeTakeFirstOrThrow();
    replicaSeq = head.seq;
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, "read replica unavailable: audit reads use the primary for this request");
    return { db: primary, from: "fallback", lag: null };
  }
  const missing = await primary.selectFrom("audit_events").select("at").where("seq", ">", replicaSeq).orderBy("seq", "asc").limit(1).executeTakeFirst();
  if (!missing) return { db: replica, from: "replica", lag: null };
  const asOf = new Date(missing.at);
  const behindMs = now - asOf.getTime();
  return { db: replica, from: "replica", lag: behindMs < currentWithinMs ? null : { asOf, behindSeconds: Math.floor(behindMs / 1000) } };
}

/** auditReadSource() once per server-rendered request: a page's day counts and event list read the same source. */
export const auditReadSourceForRender = cache(() => auditReadSource());

/** For the API's answers: `x-audit-as-of` (ISO time) when they were read from a lagging replica, nothing otherwise. */
export function asOfHeader(source: AuditReadSource): Record<string, string> {
  return source.lag ? { "x-audit-as-of": source.lag.asOf.toISOString() } : {};
}
