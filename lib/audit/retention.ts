import "server-only";
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { AuditEventRow, Database } from "../db/schema";
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

    await trx.deleteFrom("audit_targets").where("event_seq", "<=", lastRemoved.seq).execute();
    const deleted = await trx.deleteFrom("audit_events").where("seq", "<=", lastRemoved.seq).executeTakeFirst();
    const removed = Number(deleted.numDeletedRows);
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
        detail: { anchor, removed, removed_through: removedThrough, ...(heldForSiem ? { held_for_siem: true } : {}) },
      },
      now,
    );
    const [event] = await appendInTransaction(trx, kind, [pending]);
    if (!event) throw new Error("the audit.retention event was not appended");
    return { removed, removedThrough, anchor, event };
  });
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
