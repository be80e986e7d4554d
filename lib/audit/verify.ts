import "server-only";
import type { Kysely } from "kysely";
import type { ChainHead, Database } from "../db/schema";
import { GENESIS_HASH, hashEvent } from "./hash";

export interface ChainFault {
  seq: number;
  /** Null when the fault is in the chain head rather than an event. */
  id: string | null;
  reason: string;
}

export interface ChainVerification {
  ok: boolean;
  /** Events checked before stopping (all of them when ok). */
  checked: number;
  firstBad?: ChainFault;
  head: Pick<ChainHead, "seq" | "hash"> | null;
}

/**
 * Walks the chain in seq order, `batchSize` events at a time (keyset pagination, constant memory),
 * and stops at the first fault: a broken link (deleted or reordered events), a hash that does not
 * match the stored fields (edited event), audit_targets rows that disagree with the hashed targets
 * (the "who viewed customer X" index is not itself hashed), or a head that does not point at the last event.
 */
export async function verifyChain(db: Kysely<Database>, { batchSize = 1000 }: { batchSize?: number } = {}): Promise<ChainVerification> {
  const limit = Math.max(1, Math.floor(batchSize));
  const head = (await db.selectFrom("audit_chain_head").select(["seq", "hash"]).where("id", "=", 1).executeTakeFirst()) ?? null;
  let prevHash = GENESIS_HASH;
  let prevSeq = 0;
  let last: { seq: number; id: string; hash: string } | null = null;
  let checked = 0;
  const fail = (firstBad: ChainFault): ChainVerification => ({ ok: false, checked, firstBad, head });

  for (;;) {
    const rows = await db.selectFrom("audit_events").selectAll().where("seq", ">", prevSeq).orderBy("seq").limit(limit).execute();
    const indexed = await targetsIndexed(db, prevSeq, rows.length < limit ? null : (rows[rows.length - 1]?.seq ?? null));
    for (const row of rows) {
      if (row.seq <= prevSeq) return fail({ seq: row.seq, id: row.id, reason: "seq out of order" });
      if (row.prev_hash !== prevHash) {
        return fail({ seq: row.seq, id: row.id, reason: "prev_hash does not link to the previous event (deleted or reordered)" });
      }
      if (hashEvent(row.prev_hash, row) !== row.hash) {
        return fail({ seq: row.seq, id: row.id, reason: "hash does not match the event's fields (edited)" });
      }
      if (!sameTargets(row.targets, indexed.get(row.seq))) {
        return fail({ seq: row.seq, id: row.id, reason: "audit_targets rows do not match the event's targets" });
      }
      indexed.delete(row.seq);
      prevHash = row.hash;
      prevSeq = row.seq;
      last = { seq: row.seq, id: row.id, hash: row.hash };
      checked++;
    }
    const orphan = [...indexed.keys()][0];
    if (orphan !== undefined) return fail({ seq: orphan, id: null, reason: "audit_targets rows reference a missing event" });
    if (rows.length < limit) break;
  }

  if (!head) return fail({ seq: last?.seq ?? 0, id: null, reason: "chain head row is missing" });
  const expected = last ?? { seq: 0, id: null, hash: GENESIS_HASH };
  if (head.seq !== expected.seq || head.hash !== expected.hash) {
    return fail({ seq: head.seq, id: expected.id, reason: "chain head does not match the last event (truncated or appended outside the recorder)" });
  }
  return { ok: true, checked, head };
}

/** audit_targets rows with afterSeq < event_seq <= upTo (no upper bound when upTo is null), grouped by event. */
async function targetsIndexed(db: Kysely<Database>, afterSeq: number, upTo: number | null): Promise<Map<number, string[]>> {
  let query = db.selectFrom("audit_targets").select(["event_seq", "customer_id"]).where("event_seq", ">", afterSeq);
  if (upTo !== null) query = query.where("event_seq", "<=", upTo);
  const byEvent = new Map<number, string[]>();
  for (const { event_seq, customer_id } of await query.execute()) {
    byEvent.set(event_seq, [...(byEvent.get(event_seq) ?? []), customer_id]);
  }
  return byEvent;
}

function sameTargets(targetsJson: string, indexed: string[] | undefined): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(targetsJson);
  } catch {
    return false;
  }
  if (!Array.isArray(parsed)) return false;
  const expected = [...new Set(parsed.map(String))].sort();
  const actual = [...(indexed ?? [])].sort();
  return expected.length === actual.length && expected.every((id, i) => id === actual[i]);
}
