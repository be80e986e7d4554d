import "server-only";
import { type Kysely, sql } from "kysely";
import { processScope } from "@/lib/process-scope";
import { dialectOf } from "./dialect";

/**
 * The audit log's monthly partitions on PostgreSQL (issue 18, point 1; docs/audit.md "Partitions").
 *
 * `audit_events` is partitioned by RANGE on `at` (its ISO-8601 UTC text, collated "C", so text order is time order)
 * and `audit_targets` by RANGE on `event_at` (a copy of its event's `at`), one partition per UTC month of each:
 * `audit_events_2026_03` holds ['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'). There is no default
 * partition: an event whose month has no partition would fail, so the writer creates its batch's month and the next
 * two before inserting (`ensureAuditPartitions`), and remembers per connection pool which months exist. SQLite keeps
 * one table; every function here is a no-op there.
 */
const AUDIT_PARTITIONED_TABLES = ["audit_events", "audit_targets"] as const;
type PartitionedTable = (typeof AUDIT_PARTITIONED_TABLES)[number];

/** Months created ahead of the newest event written: its own and this many after it. */
export const MONTHS_AHEAD = 2;

/** A partition's name, `audit_events_2026_03`, matched back by this pattern. */
export const AUDIT_PARTITION_NAME = /^(audit_events|audit_targets)_(\d{4})_(\d{2})$/;

type Known = { partitioned: boolean; months: Set<string> };
const held = processScope("db/audit-partitions", (): { known?: WeakMap<object, Known> } => ({}));
const known = (held.known ??= new WeakMap<object, Known>());

/** "2026-03" for any ISO time in March 2026 (UTC). */
export function monthOf(at: string): string {
  if (!/^\d{4}-\d{2}-/.test(at)) throw new RangeError(`not an ISO-8601 time: ${at}`);
  return at.slice(0, 7);
}

/** The month `n` months after `month` ("2026-12", 1 → "2027-01"). */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

/** The first instant of `month` as the log stores times: "2026-03-01T00:00:00.000Z". */
export function monthStart(month: string): string {
  return `${month}-01T00:00:00.000Z`;
}

export function partitionName(table: PartitionedTable, month: string): string {
  return `${table}_${month.replace("-", "_")}`;
}

export interface AuditPartition {
  month: string;
  /** Inclusive lower and exclusive upper bound of `at`. */
  from: string;
  to: string;
}

/** Whether `audit_events` is partitioned in this store (PostgreSQL after migration 0020). */
async function isAuditPartitioned<DB>(db: Kysely<DB>): Promise<boolean> {
  if (dialectOf(db) !== "postgres") return false;
  const { rows } = await sql<{ kind: string }>`select c.relkind as kind from pg_class c where c.oid = to_regclass('audit_events')`.execute(db);
  return rows[0]?.kind === "p";
}

/** The months `audit_events` has partitions for, oldest first. */
export async function listAuditPartitions<DB>(db: Kysely<DB>): Promise<AuditPartition[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = to_regclass('audit_events') order by c.relname`.execute(db);
  return rows.flatMap(({ name }) => {
    const m = AUDIT_PARTITION_NAME.exec(name);
    if (!m) return [];
    const month = `${m[2]}-${m[3]}`;
    return [{ month, from: monthStart(month), to: monthStart(addMonths(month, 1)) }];
  });
}

/**
 * Creates the partitions of both tables for `months` that do not exist yet. Safe to call from several instances at
 * once (a partition another instance created meanwhile counts as created). Outside any transaction of the caller:
 * each CREATE commits on its own, so a writer never holds the chain head while it waits for the parent's lock.
 */
export async function createAuditPartitions<DB>(db: Kysely<DB>, months: Iterable<string>): Promise<void> {
  const have = new Set((await listAuditPartitions(db)).map((p) => p.month));
  for (const month of [...new Set(months)].sort()) {
    if (have.has(month)) continue;
    for (const table of AUDIT_PARTITIONED_TABLES) {
      const name = partitionName(table, month);
      try {
        await sql`create table if not exists ${sql.id(name)} partition of ${sql.id(table)} for values from (${sql.lit(monthStart(month))}) to (${sql.lit(
          monthStart(addMonths(month, 1)),
        )})`.execute(db);
      } catch (error) {
        // Two instances creating the same month: the loser sees the winner's table (42P07) or its row type (23505).
        const code = (error as { code?: string }).code;
        if (code !== "42P07" && code !== "23505") throw error;
      }
    }
  }
}

/**
 * Makes sure the months of `ats` and the MONTHS_AHEAD after the newest exist, so an insert never fails at midnight
 * on the 1st. Costs nothing once this pool has seen them (no query); a miss lists the store's partitions once.
 * Answers whether the store is partitioned (PostgreSQL after migration 0020), which decides the index rows' shape.
 */
export async function ensureAuditPartitions<DB>(db: Kysely<DB>, ats: Iterable<string>): Promise<boolean> {
  if (dialectOf(db) !== "postgres") return false;
  const wanted = new Set<string>();
  for (const at of ats) {
    const month = monthOf(at);
    for (let i = 0; i <= MONTHS_AHEAD; i++) wanted.add(addMonths(month, i));
  }
  let seen = known.get(db);
  if (seen && [...wanted].every((m) => seen?.months.has(m))) return seen.partitioned;
  seen ??= { partitioned: await isAuditPartitioned(db), months: new Set() };
  known.set(db, seen);
  const missing = [...wanted].filter((m) => !seen.months.has(m));
  // Before migration 0020 (one table) there is nothing to create.
  if (seen.partitioned) await createAuditPartitions(db, missing);
  for (const m of missing) seen.months.add(m);
  return seen.partitioned;
}

/**
 * Whether reads on this pool should use the partitioned shape (audit_targets.event_at): what the pool's writer found,
 * else PostgreSQL (every store the portal migrates is partitioned; a pool that has not written yet, a read replica's,
 * assumes so).
 */
export function readsPartitioned<DB>(db: Kysely<DB>): boolean {
  return known.get(db)?.partitioned ?? dialectOf(db) === "postgres";
}

/** Forgets what this pool knows (retention dropped partitions). */
export function forgetAuditPartitions<DB>(db: Kysely<DB>): void {
  known.delete(db);
}
