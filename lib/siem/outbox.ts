import "server-only";
import type { Kysely } from "kysely";
import type { AuditEventRow, Database, SiemCursorRow } from "../db/schema";

// The audit log is the outbox: events are durable, and appends are serialised by the chain-head lock (FOR UPDATE on
// PostgreSQL, BEGIN IMMEDIATE on SQLite) with seq taken from the head inside it, so seq order is commit order and
// no lower seq can commit after a higher one is visible. Each sink keeps one cursor row (siem_cursors): everything
// up to delivered_seq was accepted by the receiver. Nothing is written on the request path.

/** Creates the sink's cursor at the start of the log (seq 0: every event still stored goes out). */
export async function ensureCursor(db: Kysely<Database>, sink: string, now: Date): Promise<void> {
  await db
    .insertInto("siem_cursors")
    .values({ sink, delivered_seq: 0, attempts: 0, next_attempt_at: now.toISOString(), created_at: now.toISOString() })
    .onConflict((oc) => oc.column("sink").doNothing())
    .execute();
}

export async function readCursor(db: Kysely<Database>, sink: string): Promise<SiemCursorRow | undefined> {
  return db.selectFrom("siem_cursors").selectAll().where("sink", "=", sink).executeTakeFirst();
}

/**
 * Takes or renews the lease on a sink: one conditional UPDATE, so of several instances exactly one holds it; a
 * lease not renewed before it expires (a killed instance) can be taken by another.
 */
export async function claimLease(db: Kysely<Database>, sink: string, holder: string, now: Date, leaseMs: number): Promise<boolean> {
  const result = await db
    .updateTable("siem_cursors")
    .set({ lease_holder: holder, lease_expires_at: new Date(now.getTime() + leaseMs).toISOString() })
    .where("sink", "=", sink)
    .where((eb) => eb.or([eb("lease_holder", "is", null), eb("lease_holder", "=", holder), eb("lease_expires_at", "<", now.toISOString())]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function releaseLease(db: Kysely<Database>, sink: string, holder: string): Promise<void> {
  await db
    .updateTable("siem_cursors")
    .set({ lease_holder: null, lease_expires_at: null })
    .where("sink", "=", sink)
    .where("lease_holder", "=", holder)
    .execute();
}

/** The next events after `afterSeq`, in seq order. */
export async function eventsAfter(db: Kysely<Database>, afterSeq: number, limit: number): Promise<AuditEventRow[]> {
  return db.selectFrom("audit_events").selectAll().where("seq", ">", afterSeq).orderBy("seq").limit(limit).execute();
}

/**
 * Moves the cursor from `fromSeq` to `toSeq` after the receiver accepted. Fenced: only the lease holder, and only
 * from the position it read, so an instance whose lease was taken over cannot move the cursor back or forth.
 */
export async function markDelivered(db: Kysely<Database>, sink: string, holder: string, fromSeq: number, toSeq: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("siem_cursors")
    .set({ delivered_seq: toSeq, delivered_at: now.toISOString(), attempts: 0, next_attempt_at: now.toISOString() })
    .where("sink", "=", sink)
    .where("lease_holder", "=", holder)
    .where("delivered_seq", "=", fromSeq)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records a failed send and when to try again (shared by every instance through the row). */
export async function markFailed(
  db: Kysely<Database>,
  sink: string,
  holder: string,
  error: string,
  attempts: number,
  nextAttemptAt: Date,
  now: Date,
): Promise<void> {
  await db
    .updateTable("siem_cursors")
    .set({ attempts, next_attempt_at: nextAttemptAt.toISOString(), last_error: error.slice(0, 500), last_error_at: now.toISOString() })
    .where("sink", "=", sink)
    .where("lease_holder", "=", holder)
    .execute();
}

/** Exponential backoff with jitter: 1 s, 2 s, 4 s … capped at `capMs`, each drawn from [half, whole]. */
export function backoffMs(attempts: number, capMs: number, random: () => number = Math.random): number {
  const whole = Math.min(capMs, 1000 * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  return Math.round(whole / 2 + random() * (whole / 2));
}

/** What /api/health and the integrity panel show per sink; no URLs, no secrets. */
export interface SinkStatus {
  sink: string;
  /** Configured in this instance; a cursor of a sink configured nowhere any more still holds retention back. */
  configured: boolean;
  deliveredSeq: number;
  /** Events stored but not yet accepted by the receiver. */
  backlog: number;
  /** Age in seconds of the oldest undelivered event (0 when none). */
  lagSeconds: number;
  lastDeliveredAt: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

export async function readSinkStatuses(db: Kysely<Database>, configured: readonly string[], now = new Date()): Promise<SinkStatus[]> {
  const rows = await db.selectFrom("siem_cursors").selectAll().orderBy("sink").execute();
  const head = await db.selectFrom("audit_chain_head").select("seq").where("id", "=", 1).executeTakeFirst();
  const names = [...new Set([...configured, ...rows.map((r) => r.sink)])].sort();
  return Promise.all(
    names.map(async (sink) => {
      const row = rows.find((r) => r.sink === sink);
      const delivered = row?.delivered_seq ?? 0;
      const oldest = await db.selectFrom("audit_events").select(["seq", "at"]).where("seq", ">", delivered).orderBy("seq").limit(1).executeTakeFirst();
      // Seqs after a cursor are contiguous (retention never removes undelivered events), so the backlog is a
      // subtraction, not a count over a possibly large range.
      const backlog = oldest ? Math.max(0, (head?.seq ?? 0) - oldest.seq + 1) : 0;
      return {
        sink,
        configured: configured.includes(sink),
        deliveredSeq: delivered,
        backlog,
        lagSeconds: oldest ? Math.max(0, Math.round((now.getTime() - Date.parse(oldest.at)) / 1000)) : 0,
        lastDeliveredAt: row?.delivered_at ?? null,
        attempts: row?.attempts ?? 0,
        nextAttemptAt: row && row.attempts > 0 ? row.next_attempt_at : null,
        lastError: row?.last_error ?? null,
        lastErrorAt: row?.last_error_at ?? null,
      };
    }),
  );
}
