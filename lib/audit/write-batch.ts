import "server-only";
import type { Kysely } from "kysely";
import { ensureAuditPartitions } from "../db/audit-partitions";
import type { StoreKind } from "../db/dialect";
import type { AuditEventRow, ChainHead, Database } from "../db/schema";
import { withWriteTransaction } from "../db/write-transaction";
import { type AuditHashFields, hashEvent } from "./hash";
import { frontierFromJson, frontierPush, frontierToJson, leafHash } from "@/lib/merkle/tree";

// Bind-parameter limits: SQLite allows 32766 per statement, PostgreSQL 65535.
const EVENT_ROWS_PER_INSERT = 500;
const TARGET_ROWS_PER_INSERT = 5000;

/** An event ready to append: its hashed fields plus the customer ids for the audit_targets index. */
export interface PendingEvent {
  fields: AuditHashFields;
  targets: readonly string[];
}

class ChainHeadMissingError extends Error {
  constructor() {
    super("audit_chain_head row 1 is missing; the store is not migrated");
    this.name = "ChainHeadMissingError";
  }
}

export async function lockHead(trx: Kysely<Database>, kind: StoreKind): Promise<ChainHead> {
  const query = trx.selectFrom("audit_chain_head").select(["id", "seq", "hash", "merkle_frontier"]).where("id", "=", 1);
  // PostgreSQL: the row lock serialises writers across processes. SQLite: BEGIN IMMEDIATE already did.
  const head = await (kind === "postgres" ? query.forUpdate() : query).executeTakeFirst();
  if (!head) throw new ChainHeadMissingError();
  return head;
}

/**
 * Appends `events` (in order) to the chain in one transaction and returns the stored rows.
 * Either every event, its target rows and the new head (with the Merkle tree's frontier) are committed, or nothing is.
 */
export async function appendToChain(db: Kysely<Database>, events: readonly PendingEvent[]): Promise<AuditEventRow[]> {
  if (events.length === 0) return [];
  // PostgreSQL: the batch's months (and the ones after) have partitions before the chain head is locked.
  const partitioned = await ensureAuditPartitions(
    db,
    events.map((e) => e.fields.at),
  );
  return withWriteTransaction(db, (trx, kind) => appendInTransaction(trx, kind, events, partitioned));
}

/** appendToChain's body, for a caller that must append in a transaction of its own (retention). */
export async function appendInTransaction(
  trx: Kysely<Database>,
  kind: StoreKind,
  events: readonly PendingEvent[],
  partitioned: boolean,
): Promise<AuditEventRow[]> {
  const head = await lockHead(trx, kind);
  // Leaf i of the tree is event seq i + 1; its leaf data is the event's row hash (which covers every field and the
  // previous hash). The frontier is the tree's right edge, O(log n), stored beside the head under the same lock.
  const frontier = frontierFromJson(head.seq, head.merkle_frontier);
  let prev = head.hash;
  const rows: AuditEventRow[] = events.map(({ fields }, i) => {
    const hash = hashEvent(prev, fields);
    const row = { seq: head.seq + 1 + i, ...fields, prev_hash: prev, hash };
    frontierPush(frontier, leafHash(Buffer.from(hash, "hex")));
    prev = hash;
    return row;
  });

  for (let i = 0; i < rows.length; i += EVENT_ROWS_PER_INSERT) {
    await trx
      .insertInto("audit_events")
      .values(rows.slice(i, i + EVENT_ROWS_PER_INSERT))
      .execute();
  }
  // A partitioned store's index rows carry their event's month key (migration 0020); SQLite's one table has none.
  const targets = rows.flatMap((row, i) =>
    [...new Set(events[i]?.targets)].map((customer_id) =>
      partitioned ? { event_seq: row.seq, customer_id, event_at: row.at } : { event_seq: row.seq, customer_id },
    ),
  );
  for (let i = 0; i < targets.length; i += TARGET_ROWS_PER_INSERT) {
    await trx
      .insertInto("audit_targets")
      .values(targets.slice(i, i + TARGET_ROWS_PER_INSERT))
      .execute();
  }

  const last = rows[rows.length - 1];
  if (!last) return rows;
  await trx
    .updateTable("audit_chain_head")
    .set({ seq: last.seq, hash: last.hash, merkle_frontier: frontierToJson(frontier) })
    .where("id", "=", 1)
    .execute();
  return rows;
}
