import "server-only";
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from "kysely";
import type { AuditEventRow, Database } from "../db/schema";
import { AUDIT_COUNT_CAP, type AuditCursor, type AuditFilter, encodeCursor } from "./filters";

export type AuditSearchFilter = Omit<AuditFilter, "limit" | "cursor"> & { limit?: number; cursor?: AuditCursor };

export interface AuditPage {
  events: AuditEventRow[];
  /** Older events (Next); null on the last page. */
  nextCursor: string | null;
  /** Newer events (Previous); null on the first page. */
  prevCursor: string | null;
}

type Eb = ExpressionBuilder<Database, "audit_events">;

/** The filters that live on audit_events itself. An actor with an `@` is an email, otherwise a staff id. */
function eventConditions(eb: Eb, f: AuditSearchFilter): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [];
  if (f.actor) {
    where.push(f.actor.includes("@") ? eb("audit_events.actor_email", "=", f.actor.toLowerCase()) : eb("audit_events.actor_id", "=", f.actor));
  }
  if (f.action) where.push(eb("audit_events.action", "=", f.action));
  if (f.outcome) where.push(eb("audit_events.outcome", "=", f.outcome));
  if (f.address) where.push(eb("audit_events.client_address", "=", f.address));
  if (f.session) where.push(eb("audit_events.session_id", "=", f.session));
  if (f.from) where.push(eb("audit_events.at", ">=", f.from));
  if (f.to) where.push(eb("audit_events.at", "<", f.to));
  return where;
}

/**
 * Filtered events in chain order from `cursor` on, `limit` at a time (keyset on seq, so page N costs what page 1 does).
 * A customer filter drives the query from the audit_targets (customer_id, event_seq) index.
 */
export function filteredEvents(db: Kysely<Database>, f: AuditSearchFilter, order: "desc" | "asc", limit: number, byTime = false) {
  const bound = f.cursor ? { op: f.cursor.dir === "older" ? ("<" as const) : (">" as const), seq: f.cursor.seq } : null;
  if (f.customer) {
    let q = db
      .selectFrom("audit_targets")
      .innerJoin("audit_events", "audit_events.seq", "audit_targets.event_seq")
      .selectAll("audit_events")
      .where("audit_targets.customer_id", "=", f.customer)
      .where((eb) => eb.and(eventConditions(eb, f)));
    if (bound) q = q.where("audit_targets.event_seq", bound.op, bound.seq);
    return q.orderBy("audit_targets.event_seq", order).limit(limit);
  }
  let q = db
    .selectFrom("audit_events")
    .selectAll("audit_events")
    .where((eb) => eb.and(eventConditions(eb, f)));
  if (bound) q = q.where("audit_events.seq", bound.op, bound.seq);
  // `seq + 0` takes the primary-key walk away from the planner: the range is read through the `at` index
  // (or a filter's own index) and only what matched is sorted.
  if (byTime) return q.orderBy(sql`audit_events.seq + 0`, order).limit(limit);
  return q.orderBy("audit_events.seq", order).limit(limit);
}

/**
 * Whether a time range is cheaper read through the `at` index than by walking seq down from the newest event.
 * Both planners cost the walk as if matches were spread evenly over seq, but `at` grows with seq, so a range
 * in the past means skipping every newer event first. Stamps are near-linear in seq, so the two ends of the
 * chain (two primary-key lookups) tell how many events lie after the range and how many in it.
 */
export async function readsRangeByTime(db: Kysely<Database>, f: AuditSearchFilter): Promise<boolean> {
  if (f.customer || !f.to) return false;
  const end = (order: "asc" | "desc") => db.selectFrom("audit_events").select("at").orderBy("seq", order).limit(1).executeTakeFirst();
  const [oldest, newest] = await Promise.all([end("asc"), end("desc")]);
  if (!oldest || !newest) return false;
  const [first, last, to] = [Date.parse(oldest.at), Date.parse(newest.at), Date.parse(f.to)];
  const from = Math.max(first, f.from ? Date.parse(f.from) : first);
  return to - from < last - to;
}

/** One page, newest first. A `newer` cursor (Previous) reads upwards and flips, so pages keep their edges. */
export async function searchEvents(db: Kysely<Database>, f: AuditSearchFilter): Promise<AuditPage> {
  const limit = f.limit ?? 50;
  const byTime = await readsRangeByTime(db, f);
  if (f.cursor?.dir === "newer") {
    const rows = await filteredEvents(db, f, "asc", limit + 1, byTime).execute();
    const more = rows.length > limit;
    const events = rows.slice(0, limit).reverse();
    const first = events[0];
    const last = events[events.length - 1];
    return {
      events,
      nextCursor: encodeCursor({ seq: last?.seq ?? f.cursor.seq + 1, dir: "older" }),
      prevCursor: more && first ? encodeCursor({ seq: first.seq, dir: "newer" }) : null,
    };
  }
  const rows = await filteredEvents(db, f, "desc", limit + 1, byTime).execute();
  const events = rows.slice(0, limit);
  const first = events[0];
  const last = events[events.length - 1];
  return {
    events,
    nextCursor: rows.length > limit && last ? encodeCursor({ seq: last.seq, dir: "older" }) : null,
    prevCursor: f.cursor ? encodeCursor({ seq: first?.seq ?? f.cursor.seq - 1, dir: "newer" }) : null,
  };
}

/** Every filtered event, newest first, read `batchSize` at a time by keyset (constant memory, for the export). */
export async function* eachFilteredEvent(db: Kysely<Database>, f: AuditSearchFilter, batchSize = 1000): AsyncGenerator<AuditEventRow> {
  let cursor = f.cursor?.dir === "older" ? f.cursor : undefined;
  const byTime = await readsRangeByTime(db, f);
  for (;;) {
    const rows = await filteredEvents(db, { ...f, cursor }, "desc", batchSize, byTime).execute();
    yield* rows;
    const last = rows[rows.length - 1];
    if (rows.length < batchSize || !last) return;
    cursor = { seq: last.seq, dir: "older" };
  }
}

/** How many events match, counted no further than `cap`: `more` says there are more than `cap`. */
export interface CappedCount {
  count: number;
  more: boolean;
}

/**
 * Counts the filter's matches with a LIMIT cap+1 probe and no ORDER BY, so the planner reads the filter's own index
 * and stops after cap+1 entries: the cost is bounded by the cap, not by the log's size (never an exact count over
 * the whole table).
 */
export async function countUpTo(db: Kysely<Database>, f: AuditSearchFilter, cap = AUDIT_COUNT_CAP): Promise<CappedCount> {
  const probe = filteredEvents(db, { ...f, cursor: undefined }, "desc", cap + 1)
    .clearSelect()
    .clearOrderBy()
    .select("audit_events.seq");
  const row = await db
    .selectFrom(probe.as("probe"))
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirstOrThrow();
  const n = Number(row.n);
  return { count: Math.min(n, cap), more: n > cap };
}

export interface DayCount {
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** Events that day, at most the cap. */
  events: number;
  /** More than `events` (the cap) that day. */
  more: boolean;
}

const DAY_MS = 86_400_000;

/**
 * Events per UTC day for the filter over the `days` days up to `until`'s day, newest day first, days without events
 * left out. Each day is its own capped probe (`countUpTo`) through the filter's (…, at) index: a busy day costs at
 * most `cap` + 1 index entries instead of an exact count over it.
 */
export async function countsPerDay(
  db: Kysely<Database>,
  f: Omit<AuditSearchFilter, "from" | "to" | "cursor">,
  { days = 30, until = new Date(), cap = AUDIT_COUNT_CAP }: { days?: number; until?: Date; cap?: number } = {},
): Promise<DayCount[]> {
  const last = Date.parse(`${until.toISOString().slice(0, 10)}T00:00:00.000Z`);
  const starts = Array.from({ length: days }, (_, i) => last - i * DAY_MS);
  const counts = await Promise.all(
    starts.map(async (start) => {
      const { count, more } = await countUpTo(db, { ...f, from: new Date(start).toISOString(), to: new Date(start + DAY_MS).toISOString() }, cap);
      return { day: new Date(start).toISOString().slice(0, 10), events: count, more };
    }),
  );
  return counts.filter((c) => c.events > 0);
}
