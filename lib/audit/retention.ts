import "server-only";
import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { AuditEventRow, Database } from "../db/schema";
import {
  type AuditPartition,
  ensureAuditPartitions,
  forgetAuditPartitions,
  listAuditPartitions,
  monthOf,
  monthStart,
  partitionName,
} from "../db/audit-partitions";
import { withWriteTransaction } from "../db/write-transaction";
import { EMPTY_FRONTIER, type Frontier, frontierFromJson, frontierPush, frontierRoot, frontierToJson, leafHash } from "@/lib/merkle/tree";
import { toPendingEvent } from "./recorder";
import { RETENTION_ACTION } from "./verify";
import { appendInTransaction, lockHead } from "./write-batch";

const DAY_MS = 86_400_000;

export interface RetentionResult {
  /** Events removed (their audit_targets rows went with them). */
  removed: number;
  /** Events stamped before this UTC midnight are gone. */
  removedThrough: string;
  /** The last removed event, and the Merkle root over events 1..seq (what the kept frontier proves). */
  anchor: { seq: number; hash: string; root: string };
  /** The audit.retention event that records the removal. */
  event: AuditEventRow;
  /** PostgreSQL: the months whose partitions (events and targets) were detached and dropped whole. */
  droppedPartitions: string[];
}

/** The UTC midnight `retentionDays` whole days before today's. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - retentionDays * DAY_MS);
}

/**
 * The one place audit events are ever deleted. Removes, from the oldest end of the chain, every event before the
 * first one stamped on or after the cutoff midnight, so only whole UTC days go. In the same transaction (under the
 * chain-head lock) it stores the anchor the remaining chain links to (the last removed event's seq and hash) and
 * appends an `audit.retention` event carrying that anchor, which verifyChain requires. Returns null when nothing
 * has expired (no event is written then).
 *
 * PostgreSQL (partitioned by month, migration 0020): only whole UTC months go, those that ended on or before the
 * cutoff, so an event is kept between `retentionDays` and `retentionDays` + one month. Each expired month's
 * partitions are detached and dropped (no row deletes, no vacuum debt); the event detail names them beside the anchor.
 * A month that still holds an event the anchor must keep (a straggler stamped before midnight by one instance but
 * committed after an event of the next month from another, or one a SIEM sink has not taken yet) keeps its partition
 * and loses only the rows up to the anchor; a later run drops it.
 */
export async function applyRetention(
  db: Kysely<Database>,
  { retentionDays, now = new Date() }: { retentionDays: number; now?: Date },
): Promise<RetentionResult | null> {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new RangeError("retentionDays must be a whole number of days, at least 1");
  const dayCutoff = retentionCutoff(now, retentionDays).toISOString();
  // The audit.retention event's own month exists before the chain head is locked (lib/db/audit-partitions.ts).
  const partitioned = await ensureAuditPartitions(db, [now.toISOString()]);
  // Whole months on a partitioned store: the first of the cutoff's month.
  const cutoff = partitioned ? monthStart(monthOf(dayCutoff)) : dayCutoff;
  const result = await withWriteTransaction(db, async (trx, kind) => {
    const head = await lockHead(trx, kind);
    const firstInPeriod = await trx.selectFrom("audit_events").select("seq").where("at", ">=", cutoff).orderBy("seq").limit(1).executeTakeFirst();
    // Events a SIEM sink has not delivered yet stay (lib/siem): the purge stops after the slowest sink's cursor and
    // takes the rest on a later run. A sink that was configured once keeps its cursor row until it is deleted.
    const slowest = await trx
      .selectFrom("siem_cursors")
      .select((eb) => eb.fn.min("delivered_seq").as("seq"))
      .executeTakeFirst();
    const undelivered = slowest?.seq == null ? undefined : Number(slowest.seq) + 1;
    // (A sink caught up with the head holds nothing back.)
    const heldForSiem = undelivered !== undefined && undelivered <= head.seq && (firstInPeriod === undefined || undelivered < firstInPeriod.seq);
    const firstKept = heldForSiem ? { seq: undelivered } : firstInPeriod;
    const lastRemoved = firstKept
      ? await trx.selectFrom("audit_events").select(["seq", "hash"]).where("seq", "<", firstKept.seq).orderBy("seq", "desc").limit(1).executeTakeFirst()
      : head.seq > 0
        ? { seq: head.seq, hash: head.hash }
        : undefined;
    const previous = await trx.selectFrom("audit_anchor").select(["seq", "merkle_frontier"]).orderBy("seq", "desc").limit(1).executeTakeFirst();
    if (!lastRemoved || lastRemoved.seq <= (previous?.seq ?? 0)) return null;

    // The tree keeps its purged leaves as the frontier at the anchor: the previous anchor's frontier (empty at
    // genesis) plus the leaves about to be removed. Proofs for kept events need nothing else from the purged part.
    const frontier = await frontierThrough(trx, previous ?? null, lastRemoved.seq);

    // frontierThrough read every seq from the previous anchor to this one, so that is exactly what goes.
    const removed = lastRemoved.seq - (previous?.seq ?? 0);
    const droppedPartitions = partitioned ? await removeByPartition(trx, lastRemoved.seq, cutoff) : [];
    if (!partitioned) {
      await trx.deleteFrom("audit_targets").where("event_seq", "<=", lastRemoved.seq).execute();
      await trx.deleteFrom("audit_events").where("seq", "<=", lastRemoved.seq).execute();
    }
    // Held back for a sink: only events up to the last removed one's time are gone, not the whole period.
    const removedThrough = heldForSiem
      ? ((await trx.selectFrom("audit_events").select("at").where("seq", ">", lastRemoved.seq).orderBy("seq").limit(1).executeTakeFirst())?.at ??
        now.toISOString())
      : cutoff;
    const anchor = { seq: lastRemoved.seq, hash: lastRemoved.hash, root: frontierRoot(frontier).toString("hex") };
    await trx
      .insertInto("audit_anchor")
      .values({ seq: anchor.seq, hash: anchor.hash, removed_through: removedThrough, at: now.toISOString(), merkle_frontier: frontierToJson(frontier) })
      .execute();

    const pending = toPendingEvent(
      {
        actor: null,
        action: RETENTION_ACTION,
        targets: [],
        query: { retention_days: retentionDays },
        requestId: `retention-${randomUUID()}`,
        outcome: "ok",
        detail: {
          anchor,
          removed,
          removed_through: removedThrough,
          ...(heldForSiem ? { held_for_siem: true } : {}),
          ...(partitioned ? { dropped_partitions: droppedPartitions } : {}),
        },
      },
      now,
    );
    const [event] = await appendInTransaction(trx, kind, [pending], partitioned);
    if (!event) throw new Error("the audit.retention event was not appended");
    return { removed, removedThrough, anchor, event, droppedPartitions };
  });
  if (result && result.droppedPartitions.length > 0) forgetAuditPartitions(db);
  return result;
}

/**
 * Removes every event with seq ≤ `through` (and its targets) from a partitioned store: each month that ended by
 * `cutoff` and holds nothing after `through` is detached and dropped whole; one that does (a straggler, or an event
 * held for a SIEM sink) loses only its rows up to `through`. Returns the months dropped. Runs under the chain head's
 * lock; the DDL waits at most 5 s for readers of audit_events (then this run fails and the next one tries again).
 */
async function removeByPartition(trx: Kysely<Database>, through: number, cutoff: string): Promise<string[]> {
  const expired = (await listAuditPartitions(trx)).filter((p) => p.to <= cutoff);
  await sql`set local lock_timeout = '5s'`.execute(trx);
  const dropped: string[] = [];
  for (const partition of expired) {
    const events = sql.id(partitionName("audit_events", partition.month));
    const targets = sql.id(partitionName("audit_targets", partition.month));
    const { rows } = await sql<{ last: string | number | null }>`select max(seq) as last from ${events}`.execute(trx);
    const last = rows[0]?.last;
    if (last === null || last === undefined || Number(last) <= through) {
      await dropPartition(trx, "audit_targets", partition);
      await dropPartition(trx, "audit_events", partition);
      dropped.push(partition.month);
    } else {
      await sql`delete from ${targets} where event_seq <= ${through}`.execute(trx);
      await sql`delete from ${events} where seq <= ${through}`.execute(trx);
    }
  }
  return dropped;
}

async function dropPartition(trx: Kysely<Database>, table: "audit_events" | "audit_targets", partition: AuditPartition): Promise<void> {
  const name = sql.id(partitionName(table, partition.month));
  await sql`alter table ${sql.id(table)} detach partition ${name}`.execute(trx);
  await sql`drop table ${name}`.execute(trx);
}

async function frontierThrough(trx: Kysely<Database>, previous: { seq: number; merkle_frontier: string | null } | null, through: number): Promise<Frontier> {
  if (previous && previous.merkle_frontier === null) throw new Error("the previous retention anchor has no Merkle frontier (written before migration 0008)");
  const frontier = previous?.merkle_frontier ? frontierFromJson(previous.seq, previous.merkle_frontier) : { ...EMPTY_FRONTIER, hashes: [] };
  for (let after = frontier.size; after < through;) {
    const rows = await trx
      .selectFrom("audit_events")
      .select(["seq", "hash"])
      .where("seq", ">", after)
      .where("seq", "<=", through)
      .orderBy("seq")
      .limit(5000)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.seq !== frontier.size + 1) throw new Error(`audit event seq ${frontier.size + 1} is missing; retention will not purge a broken chain`);
      frontierPush(frontier, leafHash(Buffer.from(row.hash, "hex")));
    }
    after = rows[rows.length - 1]?.seq ?? through;
  }
  if (frontier.size !== through) throw new Error(`audit events up to seq ${through} are missing; retention will not purge a broken chain`);
  return frontier;
}
