import "server-only";
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from "kysely";
import { dialectOf } from "../db/dialect";
import type { AuditEventRow, Database } from "../db/schema";
import { onTargetEvent, targetTimeRange } from "./targets-join";
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

/**
 * The filters that live on audit_events itself. An actor with an `@` is an email, otherwise a staff id. On PostgreSQL
 * the `drive` column's value is written as a one-value range (`>= v and <= v`), which reads its index as `= v` does
 * but is no equality PostgreSQL can fold into the sort order: ORDER BY (column, seq) then needs that column's index
 * (see drivingColumn).
 */
function eventConditions(eb: Eb, f: AuditSearchFilter, drive: EventColumn | null = null): Expression<SqlBool>[] {
  const equal: [EventColumn, string | undefined][] = [
    [f.actor?.includes("@") ? "audit_events.actor_email" : "audit_events.actor_id", f.actor?.includes("@") ? f.actor.toLowerCase() : f.actor],
    ["audit_events.action", f.action],
    ["audit_events.outcome", f.outcome],
    ["audit_events.client_address", f.address],
    ["audit_events.session_id", f.session],
  ];
  const where: Expression<SqlBool>[] = [];
  for (const [column, value] of equal) {
    if (value === undefined) continue;
    if (column === drive) where.push(eb(column, ">=", value), eb(column, "<=", value));
    else where.push(eb(column, "=", value));
  }
  if (f.from) where.push(eb("audit_events.at", ">=", f.from));
  if (f.to) where.push(eb("audit_events.at", "<", f.to));
  return where;
}

type EventColumn =
  | "audit_events.session_id"
  | "audit_events.client_address"
  | "audit_events.actor_email"
  | "audit_events.actor_id"
  | "audit_events.action"
  | "audit_events.outcome";

/**
 * The equality filter whose (column, seq) index drives the read, the most selective kind first. Ordering by
 * (column, seq) is the same order as by seq (the column is fixed by the filter), but only that index yields it, so
 * neither planner can swap it for a walk down the primary key that filters as it goes (which, for a staff member
 * who stopped working a year ago, reads the whole log). PostgreSQL would see through `column = v` and drop the
 * column from the order, so the driving value is written as a range (eventConditions).
 */
function drivingColumn(f: AuditSearchFilter): EventColumn | null {
  if (f.session) return "audit_events.session_id";
  if (f.address) return "audit_events.client_address";
  if (f.actor) return f.actor.includes("@") ? "audit_events.actor_email" : "audit_events.actor_id";
  // A refusal or failure is rare beside any action; `ok` is nearly every event, so an action narrows more.
  if (f.outcome && f.outcome !== "ok") return "audit_events.outcome";
  if (f.action) return "audit_events.action";
  if (f.outcome) return "audit_events.outcome";
  return null;
}

/**
 * Filtered events from `cursor` on, `limit` at a time, by keyset (page N costs what page 1 does), always through an
 * index (lib/audit/query-plans.test.ts):
 * - a customer: the audit_targets (customer_id, event_seq) index, in seq order;
 * - an equality filter (staff member, action, outcome, address, session): its (column, seq) index, in seq order; or,
 *   with a time range `readsRangeByTime` finds cheaper by time (`byTime`), the range through the (actor, at) or `at`
 *   index, sorted;
 * - a time range alone: the `at` index in (at, seq) order, so a range anywhere in the log costs one page; the cursor's
 *   seq is looked up for its time;
 * - nothing: the primary key from the newest event down.
 */
export function filteredEvents(db: Kysely<Database>, f: AuditSearchFilter, order: "desc" | "asc", limit: number, byTime = false) {
  const bound = f.cursor ? { op: f.cursor.dir === "older" ? ("<" as const) : (">" as const), seq: f.cursor.seq } : null;
  if (f.customer) {
    let q = db
      .selectFrom("audit_targets")
      .innerJoin("audit_events", onTargetEvent(db))
      .selectAll("audit_events")
      .where("audit_targets.customer_id", "=", f.customer)
      .where((eb) => eb.and([...eventConditions(eb, f), ...targetTimeRange(db, eb, f.from, f.to)]));
    if (bound) q = q.where("audit_targets.event_seq", bound.op, bound.seq);
    return q.orderBy("audit_targets.event_seq", order).limit(limit);
  }
  const column = drivingColumn(f);
  // Only PostgreSQL folds `= v` into the order; SQLite keeps the equality, which also lets a cursor's `seq < S` seek
  // straight to its place in the (column, seq) index (after a range on the column it could only filter).
  const drive = column && !byTime && dialectOf(db) === "postgres" ? column : null;
  let q = db
    .selectFrom("audit_events")
    .selectAll("audit_events")
    .where((eb) => eb.and(eventConditions(eb, f, drive)));
  if (!column && (f.from || f.to)) {
    if (bound && f.cursor) {
      // The cursor event's time; a seq that is not there (one past the newest) bounds nothing on its side.
      const cursorAt = sql<string>`coalesce((select c.at from audit_events c where c.seq = ${bound.seq}), ${bound.op === "<" ? "9999" : ""})`;
      q = q.where((eb) =>
        eb.and([
          eb("audit_events.at", `${bound.op}=`, cursorAt),
          eb.or([eb("audit_events.at", bound.op, cursorAt), eb("audit_events.seq", bound.op, bound.seq)]),
        ]),
      );
    }
    return q.orderBy("audit_events.at", order).orderBy("audit_events.seq", order).limit(limit);
  }
  if (bound) q = q.where("audit_events.seq", bound.op, bound.seq);
  // `seq + 0` takes the index orders away from the planner: the range is read through the (actor, at) or `at` index
  // (or a filter's own index) and only what matched is sorted.
  if (byTime) return q.orderBy(sql`audit_events.seq + 0`, order).limit(limit);
  if (column) return q.orderBy(column, order).orderBy("audit_events.seq", order).limit(limit);
  return q.orderBy("audit_events.seq", order).limit(limit);
}

/** The oldest or newest event's time: one step along the primary key. */
export function chainEnd(db: Kysely<Database>, order: "asc" | "desc") {
  return db.selectFrom("audit_events").select("at").orderBy("seq", order).limit(1);
}

/**
 * Whether a time range with an equality filter is cheaper read through the (actor, at) or `at` index than by walking
 * the filter's (column, seq) index down from its newest event.
 * Both planners cost the walk as if matches were spread evenly over seq, but `at` grows with seq, so a range
 * in the past means skipping every newer event first, and a range past the newest event means walking the whole
 * chain to find nothing. Stamps are near-linear in seq (not exactly: an instance stamps an event before it takes
 * the chain head), so the two ends of the chain (two primary-key lookups) estimate how many events lie after the
 * range and how many in it; the estimate only picks the plan, both plans answer the same events.
 */
export async function readsRangeByTime(db: Kysely<Database>, f: AuditSearchFilter): Promise<boolean> {
  if (f.customer || (!f.from && !f.to) || !drivingColumn(f)) return false;
  const [oldest, newest] = await Promise.all([chainEnd(db, "asc").executeTakeFirst(), chainEnd(db, "desc").executeTakeFirst()]);
  if (!oldest || !newest) return false;
  const [first, last] = [Date.parse(oldest.at), Date.parse(newest.at)];
  const lo = Math.max(first, f.from ? Date.parse(f.from) : first);
  const hi = Math.min(last, f.to ? Date.parse(f.to) : last);
  const inRange = Math.max(0, hi - lo);
  // The walk skips what is newer than the range; the range read takes (and sorts) what is in it. A range that is
  // a sliver of the chain (or empty) is read by time wherever it lies.
  return inRange <= last - hi || inRange * 1000 < last - first;
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
 * Counts the filter's matches with a LIMIT cap+1 probe through the filter's own index, stopping after cap+1 entries:
 * the cost is bounded by the cap, not by the log's size (never an exact count over the whole table).
 */
export async function countUpTo(db: Kysely<Database>, f: AuditSearchFilter, cap = AUDIT_COUNT_CAP): Promise<CappedCount> {
  return probeCount(db, f, cap, await readsRangeByTime(db, f));
}

async function probeCount(db: Kysely<Database>, f: AuditSearchFilter, cap: number, byTime: boolean): Promise<CappedCount> {
  const n = Number((await countProbe(db, f, cap, byTime).executeTakeFirstOrThrow()).n);
  return { count: Math.min(n, cap), more: n > cap };
}

/** The query behind `countUpTo`: count(*) over at most cap + 1 matching seqs. */
export function countProbe(db: Kysely<Database>, f: AuditSearchFilter, cap: number, byTime: boolean) {
  // The page's own read and order, so the same index serves it (a sort-free index order ends after cap + 1 rows).
  // A range read by time drops the order instead: the (actor, at) or `at` index reads just the range (the day counts'
  // case), rather than the filter's events from the newest back to the range.
  const matches = filteredEvents(db, { ...f, cursor: undefined }, "desc", cap + 1, byTime).clearSelect();
  const probe = (byTime ? matches.clearOrderBy() : matches).select("audit_events.seq");
  return db.selectFrom(probe.as("probe")).select((eb) => eb.fn.countAll<number | string>().as("n"));
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
      // A day is a sliver of the log: always read by time, through (actor, at) (no readsRangeByTime look-ups).
      const day = { ...f, from: new Date(start).toISOString(), to: new Date(start + DAY_MS).toISOString() };
      const { count, more } = await probeCount(db, day, cap, true);
      return { day: day.from.slice(0, 10), events: count, more };
    }),
  );
  return counts.filter((c) => c.events > 0);
}
