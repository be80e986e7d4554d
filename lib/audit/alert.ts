import "server-only";
import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { ensureAuditPartitions } from "../db/audit-partitions";
import type { AuditAlertRow, Database } from "../db/schema";
import { withWriteTransaction } from "../db/write-transaction";
import { ConflictError, InvalidQueryError, NotFoundError } from "@/lib/errors";
import type { AuditInput } from "./input";
import { toPendingEvent } from "./recorder";
import { appendInTransaction, lockHead } from "./write-batch";

export interface BulkViewer {
  actor_id: string | null;
  actor_email: string | null;
  /** The clock hour (UTC), `YYYY-MM-DDTHH`. */
  hour: string;
  customers: number;
}

/** Events the bulk-viewer detector reads per step; between steps the event loop runs (SQLite is synchronous). */
export const BULK_VIEWER_CHUNK = 500;

/**
 * One step of the bulk-viewer walk: the next `limit` events at or after `since` in (at, seq) order, from the `at`
 * index (SQLite's ends in the rowid; PostgreSQL has `audit_events_at_seq`), after the keyset position `after`.
 */
export function bulkViewerChunk(db: Kysely<Database>, since: string, after: { at: string; seq: number } | null, limit: number) {
  let q = db
    .selectFrom("audit_events")
    .select(["seq", "at", "actor_id", "actor_email", "outcome"])
    .where("at", ">=", after?.at ?? since);
  if (after) q = q.where((eb) => eb.or([eb("at", ">", after.at), eb("seq", ">", after.seq)]));
  return q.orderBy("at").orderBy("seq").limit(limit);
}

type ChunkEvent = { seq: number; at: string; actor_id: string | null; actor_email: string | null; outcome: string };

/** The customers named by a step's events: primary-key lookups on audit_targets (event_seq, customer_id). */
export function bulkViewerTargets(db: Kysely<Database>, seqs: number[]) {
  return db.selectFrom("audit_targets").select(["event_seq", "customer_id"]).where("event_seq", "in", seqs);
}

/**
 * Staff who saw more than `threshold` distinct customers within one UTC clock hour since `since`,
 * busiest first. Only answers that released data (outcome ok) count: a refused request showed nothing.
 *
 * Read in bounded steps rather than as one query over the whole period: each step is `chunk` events by (at, seq)
 * keyset and their targets by primary key, and the event loop runs between steps, so on SQLite (synchronous) a day
 * of events never holds the portal for longer than one step.
 */
export async function bulkViewers(
  db: Kysely<Database>,
  { threshold, since, chunk = BULK_VIEWER_CHUNK }: { threshold: number; since: Date; chunk?: number },
): Promise<BulkViewer[]> {
  const seen = new Map<string, { actor_id: string | null; actor_email: string | null; hour: string; customers: Set<string> }>();
  let after: { at: string; seq: number } | null = null;
  for (;;) {
    const events: ChunkEvent[] = await bulkViewerChunk(db, since.toISOString(), after, chunk).execute();
    const shown = events.filter((e) => e.outcome === "ok");
    if (shown.length > 0) {
      const bySeq = new Map(shown.map((e) => [e.seq, e]));
      for (const t of await bulkViewerTargets(db, [...bySeq.keys()]).execute()) {
        const e = bySeq.get(Number(t.event_seq));
        if (!e) continue;
        const hour = e.at.slice(0, 13);
        const key = JSON.stringify([e.actor_id, e.actor_email, hour]);
        let group = seen.get(key);
        if (!group) seen.set(key, (group = { actor_id: e.actor_id, actor_email: e.actor_email, hour, customers: new Set() }));
        group.customers.add(t.customer_id);
      }
    }
    const last = events[events.length - 1];
    if (events.length < chunk || !last) break;
    after = { at: last.at, seq: last.seq };
    await new Promise((resolve) => setImmediate(resolve));
  }
  const cmp = (a: string | null, b: string | null) => ((a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0);
  return [...seen.values()]
    .filter((g) => g.customers.size > threshold)
    .map((g) => ({ actor_id: g.actor_id, actor_email: g.actor_email, hour: g.hour, customers: g.customers.size }))
    .sort((a, b) => b.customers - a.customers || cmp(a.actor_email, b.actor_email) || cmp(a.hour, b.hour))
    .slice(0, 50);
}

const HOUR_MS = 3_600_000;
const MAX_NOTE_CHARS = 500;

/** The UTC hour `YYYY-MM-DDTHH` as its first and last instant. */
export function hourWindow(hour: string): { start: string; end: string } {
  const start = new Date(`${hour}:00:00.000Z`);
  return { start: start.toISOString(), end: new Date(start.getTime() + HOUR_MS - 1).toISOString() };
}

/**
 * The `alert.bulk_viewing` event: the system raises it, naming the staff member, the hour and the count, never a
 * customer (no targets). `detail` carries what a SIEM's Detection Finding (OCSF 2004) needs.
 */
function bulkViewingEvent(alert: AuditAlertRow): AuditInput {
  const window = hourWindow(alert.hour);
  const who = alert.subject_email ?? alert.subject_id ?? "unknown";
  return {
    actor: null,
    action: "alert.bulk_viewing",
    targets: [],
    query: {},
    requestId: crypto.randomUUID(),
    outcome: "ok",
    detail: {
      alert_id: alert.id,
      kind: alert.kind,
      title: `Bulk viewing: ${who} saw ${alert.customers} distinct customers in one hour`,
      subject_id: alert.subject_id,
      subject_email: alert.subject_email,
      hour: alert.hour,
      hour_start: window.start,
      hour_end: window.end,
      customers: alert.customers,
      threshold: alert.threshold,
      email: alert.email_status === "off" ? "off" : "queued",
    },
  };
}

export interface RaiseOptions {
  threshold: number;
  since: Date;
  /** Whether an e-mail is to be sent for alerts raised now (ALERT_SMTP_URL and friends set). */
  email: boolean;
  now?: () => Date;
}

/**
 * Raises one alert per (staff member, UTC hour) above the threshold since `since`, each exactly once: the alert row
 * (unique on kind, subject and hour) and its `alert.bulk_viewing` event are written in one transaction under the
 * chain head's lock, so of several detectors (one per instance) racing on one store exactly one inserts the row
 * and appends the event; the others find the key taken and write nothing. A count that rises later in the same
 * hour raises nothing more. Returns the alerts raised by this call.
 */
export async function raiseBulkViewingAlerts(db: Kysely<Database>, opts: RaiseOptions): Promise<AuditAlertRow[]> {
  const now = opts.now ?? (() => new Date());
  const viewers = await bulkViewers(db, { threshold: opts.threshold, since: opts.since });
  if (viewers.length === 0) return [];
  const known = await db
    .selectFrom("audit_alerts")
    .select(["subject_key", "hour"])
    .where("kind", "=", "bulk_viewing")
    .where("hour", "in", [...new Set(viewers.map((v) => v.hour))])
    .execute();
  const seen = new Set(known.map((k) => `${k.subject_key}|${k.hour}`));
  const raised: AuditAlertRow[] = [];
  for (const viewer of viewers) {
    const subjectKey = viewer.actor_id ?? `email:${viewer.actor_email ?? ""}`;
    if (seen.has(`${subjectKey}|${viewer.hour}`)) continue;
    // The event's month (and the next ones) have partitions before the chain head is locked (PostgreSQL).
    const partitioned = await ensureAuditPartitions(db, [now().toISOString()]);
    const alert = await withWriteTransaction(db, async (trx, kind) => {
      // First the head: every raiser (and every other writer of the chain) queues here, so no deadlock.
      await lockHead(trx, kind);
      const at = now();
      const inserted = await trx
        .insertInto("audit_alerts")
        .values({
          id: randomUUID(),
          kind: "bulk_viewing",
          subject_key: subjectKey,
          subject_id: viewer.actor_id,
          subject_email: viewer.actor_email,
          hour: viewer.hour,
          customers: viewer.customers,
          threshold: opts.threshold,
          raised_at: at.toISOString(),
          event_seq: null,
          acknowledged_by: null,
          acknowledged_by_email: null,
          acknowledged_at: null,
          ack_note: null,
          email_status: opts.email ? "pending" : "off",
          email_next_at: opts.email ? at.toISOString() : null,
          email_last_error: null,
          email_sent_at: null,
        })
        .onConflict((oc) => oc.columns(["kind", "subject_key", "hour"]).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!inserted) return null;
      const [event] = await appendInTransaction(trx, kind, [toPendingEvent(bulkViewingEvent(inserted), at)], partitioned);
      if (!event) throw new Error("the alert's event was not written");
      await trx.updateTable("audit_alerts").set({ event_seq: event.seq }).where("id", "=", inserted.id).execute();
      return { ...inserted, event_seq: event.seq };
    });
    if (alert) raised.push(alert);
  }
  return raised;
}

/** Alerts raised since `since`, open ones first, newest first within each. */
export async function listAlerts(db: Kysely<Database>, { since, limit = 100 }: { since: Date; limit?: number }): Promise<AuditAlertRow[]> {
  return db
    .selectFrom("audit_alerts")
    .selectAll()
    .where((eb) => eb.or([eb("raised_at", ">=", since.toISOString()), eb("acknowledged_at", "is", null)]))
    .orderBy(sql`case when acknowledged_at is null then 0 else 1 end`)
    .orderBy("raised_at", "desc")
    .limit(limit)
    .execute();
}

/** The note an auditor gives: optional, trimmed, at most 500 characters. */
export function parseAckNote(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new InvalidQueryError("note must be text");
  const note = value.trim();
  if (note.length > MAX_NOTE_CHARS) throw new InvalidQueryError(`note must be at most ${MAX_NOTE_CHARS} characters`);
  return note === "" ? null : note;
}

/**
 * Marks an open alert acknowledged by `by`, once: a conditional update, so of two auditors acknowledging at once
 * one succeeds and the other gets ConflictError (409), as does acknowledging again. No such alert: NotFoundError.
 */
export async function acknowledgeAlert(
  db: Kysely<Database>,
  { id, by, note, now = new Date() }: { id: string; by: { id: string; email: string }; note: string | null; now?: Date },
): Promise<AuditAlertRow> {
  const updated = await db
    .updateTable("audit_alerts")
    .set({ acknowledged_by: by.id, acknowledged_by_email: by.email.toLowerCase(), acknowledged_at: now.toISOString(), ack_note: note })
    .where("id", "=", id)
    .where("acknowledged_at", "is", null)
    .returningAll()
    .executeTakeFirst();
  if (updated) return updated;
  const existing = await db.selectFrom("audit_alerts").select(["acknowledged_at", "acknowledged_by_email"]).where("id", "=", id).executeTakeFirst();
  if (!existing) throw new NotFoundError("No such alert");
  throw new ConflictError(`already acknowledged by ${existing.acknowledged_by_email ?? "someone"} at ${existing.acknowledged_at ?? "an earlier time"}`);
}
