import "server-only";
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { AuditEventRow, Database } from "../db/schema";
import { withWriteTransaction } from "../db/write-transaction";
import { toPendingEvent } from "./recorder";
import { RETENTION_ACTION } from "./verify";
import { appendInTransaction, lockHead } from "./write-batch";

const DAY_MS = 86_400_000;

export interface RetentionResult {
  /** Events removed (their audit_targets rows went with them). */
  removed: number;
  /** Events stamped before this UTC midnight are gone. */
  removedThrough: string;
  anchor: { seq: number; hash: string };
  /** The audit.retention event that records the removal. */
  event: AuditEventRow;
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
 */
export async function applyRetention(
  db: Kysely<Database>,
  { retentionDays, now = new Date() }: { retentionDays: number; now?: Date },
): Promise<RetentionResult | null> {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new RangeError("retentionDays must be a whole number of days, at least 1");
  const cutoff = retentionCutoff(now, retentionDays).toISOString();
  return withWriteTransaction(db, async (trx, kind) => {
    const head = await lockHead(trx, kind);
    const firstKept = await trx.selectFrom("audit_events").select("seq").where("at", ">=", cutoff).orderBy("seq").limit(1).executeTakeFirst();
    const lastRemoved = firstKept
      ? await trx.selectFrom("audit_events").select(["seq", "hash"]).where("seq", "<", firstKept.seq).orderBy("seq", "desc").limit(1).executeTakeFirst()
      : head.seq > 0 ? { seq: head.seq, hash: head.hash } : undefined;
    const previous = await trx.selectFrom("audit_anchor").select("seq").orderBy("seq", "desc").limit(1).executeTakeFirst();
    if (!lastRemoved || lastRemoved.seq <= (previous?.seq ?? 0)) return null;

    await trx.deleteFrom("audit_targets").where("event_seq", "<=", lastRemoved.seq).execute();
    const deleted = await trx.deleteFrom("audit_events").where("seq", "<=", lastRemoved.seq).executeTakeFirst();
    const removed = Number(deleted.numDeletedRows);
    const anchor = { seq: lastRemoved.seq, hash: lastRemoved.hash };
    await trx.insertInto("audit_anchor").values({ ...anchor, removed_through: cutoff, at: now.toISOString() }).execute();

    const pending = toPendingEvent(
      {
        actor: null,
        action: RETENTION_ACTION,
        targets: [],
        query: { retention_days: retentionDays },
        requestId: `retention-${randomUUID()}`,
        outcome: "ok",
        detail: { anchor, removed, removed_through: cutoff },
      },
      now,
    );
    const [event] = await appendInTransaction(trx, kind, [pending]);
    if (!event) throw new Error("the audit.retention event was not appended");
    return { removed, removedThrough: cutoff, anchor, event };
  });
}
