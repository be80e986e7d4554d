import "server-only";
import { setImmediate as nextTurn } from "node:timers/promises";
import { type Kysely, sql } from "kysely";
import type { ChainHead, Database } from "../db/schema";
import { dialectOf } from "../db/dialect";
import type { CheckpointFile } from "./checkpoints";
import { GENESIS_HASH, hashEvent } from "./hash";
import { EMPTY_FRONTIER, type Frontier, frontierFromJson, frontierPush, frontierRoot, frontierToJson, leafHash } from "@/lib/merkle/tree";

interface ChainFault {
  seq: number;
  /** Null when the fault is in the chain head rather than an event. */
  id: string | null;
  reason: string;
  /** The signed checkpoint file that proves the fault, where one does. */
  checkpoint?: string;
}

interface CheckpointSummary {
  /** Checkpoint files read (all must verify). */
  files: number;
  /** Distinct tree sizes compared with the store's tree. */
  compared: number;
  /** Sizes at or below a retention anchor that the remaining events can no longer be compared with. */
  beforeAnchor: number;
  /** The largest checkpoint the store matched. */
  latest: { file: string; size: number } | null;
  /** Per checkpoint file (by name), the configured witnesses whose cosignature verifies (empty: none). */
  cosigned: Array<{ file: string; witnesses: string[] }>;
  /** Cosigning keys found that are not configured (`<name>+<hex id>`): reported, not failed. */
  unknownCosigners: string[];
}

export interface ChainVerification {
  ok: boolean;
  /** Events checked before stopping (all of them when ok). */
  checked: number;
  firstBad?: ChainFault;
  head: Pick<ChainHead, "seq" | "hash"> | null;
  /** Where the chain starts when retention removed its oldest days (absent while nothing was removed). */
  anchor?: { seq: number; hash: string };
  /** The Merkle tree the events make (size and hex root), when the walk got to the end. */
  tree?: { size: number; root: string };
  /** What was checked against the signed checkpoints (absent when none were given). */
  checkpoints?: CheckpointSummary;
  /**
   * Set when the chain is whole up to its head but signed checkpoints cover more events than it holds (a restore
   * from an older backup, or a cut tail): the seq span gone, and the newest checkpoint that proves it.
   */
  missing?: MissingSpan;
}

export interface MissingSpan {
  /** First and last missing seq (inclusive): the head + 1 through the newest checkpoint's tree size. */
  from: number;
  to: number;
  /** The newest signed checkpoint file (its tree size is `to`). */
  checkpoint: string;
  /** The largest tree size the store matched (its end when all is well up to the head). */
  matchedThrough: number;
}

export interface VerifyOptions {
  batchSize?: number;
  /**
   * Reads the signed checkpoints to check the store against. Called before the first query, so on a snapshot every
   * checkpoint it returns was written before the snapshot (and covers at most the head the walk ends at).
   */
  checkpoints?: () => CheckpointFile[];
}

export const RETENTION_ACTION = "audit.retention";

/**
 * Walks the chain in seq order, `batchSize` events at a time (keyset pagination, constant memory),
 * and stops at the first fault: a broken link (deleted or reordered events), a hash that does not
 * match the stored fields (edited event), audit_targets rows that disagree with the hashed targets
 * (the "who viewed customer X" index is not itself hashed), or a head that does not point at the last event.
 *
 * The walk starts at the latest retention anchor (genesis when none), and that anchor must be vouched for by an
 * `audit.retention` event in the remaining chain carrying the same seq and hash: an anchor row alone proves nothing.
 * It ends at the head read first, so events appended meanwhile by a running portal are not mistaken for faults.
 */
export async function verifyChain(db: Kysely<Database>, { batchSize = 1000, checkpoints: loadCheckpoints }: VerifyOptions = {}): Promise<ChainVerification> {
  const limit = Math.max(1, Math.floor(batchSize));
  const files = loadCheckpoints?.() ?? null;
  const anchorRow = await db.selectFrom("audit_anchor").select(["seq", "hash", "merkle_frontier"]).orderBy("seq", "desc").limit(1).executeTakeFirst();
  const anchor = anchorRow ? { seq: anchorRow.seq, hash: anchorRow.hash } : undefined;
  const head = (await readHead(db)) ?? null;
  let prevHash = anchor?.hash ?? GENESIS_HASH;
  let prevSeq = anchor?.seq ?? 0;
  let last: { seq: number; id: string; hash: string } | null = null;
  let anchorVouched = !anchor;
  let checked = 0;
  const summary: CheckpointSummary = { files: files?.length ?? 0, compared: 0, beforeAnchor: 0, latest: null, cosigned: [], unknownCosigners: [] };
  let signed: Array<{ file: string; size: number }> = [];
  // A fault the chain itself shows is still named with the first signed checkpoint covering it: the signed root
  // the store no longer matches.
  const covering = (seq: number) => (seq > 0 ? signed.find((c) => c.size >= seq)?.file : undefined);
  const fail = (fault: ChainFault): ChainVerification => ({
    ok: false,
    checked,
    firstBad: fault.checkpoint || !covering(fault.seq) ? fault : { ...fault, checkpoint: covering(fault.seq) },
    head,
    ...(anchor ? { anchor } : {}),
    ...(files ? { checkpoints: summary } : {}),
  });

  // The checkpoints among themselves: each must carry a valid signature, and one size has one root (else a fork).
  const pending: Array<{ file: string; size: number; root: Buffer }> = [];
  for (const f of files ?? []) {
    if (!f.ok || !f.checkpoint)
      return fail({ seq: f.checkpoint?.size ?? 0, id: null, reason: `signed checkpoint ${f.file} is not valid: ${f.reason}`, checkpoint: f.file });
    const cos = f.cosignatures;
    if (cos?.bad.length) return fail({ seq: f.checkpoint.size, id: null, reason: cos.bad.join("; "), checkpoint: f.file });
    summary.cosigned.push({ file: f.file, witnesses: cos?.cosigned ?? [] });
    for (const u of cos?.unknown ?? []) if (!summary.unknownCosigners.includes(u)) summary.unknownCosigners.push(u);
    const same = pending.find((p) => p.size === f.checkpoint?.size);
    if (same && !same.root.equals(f.checkpoint.root)) {
      return fail({
        seq: f.checkpoint.size,
        id: null,
        reason: `fork: signed checkpoints ${same.file} and ${f.file} give tree size ${f.checkpoint.size} different roots`,
        checkpoint: f.file,
      });
    }
    if (!same) pending.push({ file: f.file, size: f.checkpoint.size, root: f.checkpoint.root });
  }
  pending.sort((a, b) => a.size - b.size);
  signed = pending.map(({ file, size }) => ({ file, size }));

  let frontier: Frontier = { ...EMPTY_FRONTIER, hashes: [] };
  if (anchor) {
    const below = await db.selectFrom("audit_events").select(["seq", "id"]).where("seq", "<=", anchor.seq).orderBy("seq").limit(1).executeTakeFirst();
    if (below) return fail({ seq: below.seq, id: below.id, reason: "event at or below the retention anchor (removed events reappeared)" });
    try {
      frontier = frontierFromJson(anchor.seq, anchorRow?.merkle_frontier ?? "null");
    } catch (err) {
      return fail({ seq: anchor.seq, id: null, reason: `retention anchor's Merkle frontier is unusable: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  // Checkpoints the tree already covers before the first remaining event: at the anchor they are compared with
  // the kept frontier; below it the leaves are gone.
  let lastMatch: { file: string; size: number } | null = null;
  let firstUnmatched: { seq: number; id: string } | null = null;
  const mismatch = (cp: { file: string; size: number }): ChainFault => {
    const from = (lastMatch?.size ?? anchor?.seq ?? 0) + 1;
    const older = lastMatch ? `, though they match the older signed checkpoint ${lastMatch.file} through seq ${lastMatch.size}` : "";
    return {
      seq: firstUnmatched?.seq ?? from,
      id: firstUnmatched?.id ?? null,
      reason: `events ${from}..${cp.size} do not match the signed checkpoint ${cp.file} (tree size ${cp.size})${older}: edited, inserted, removed or reordered, and re-hashed`,
      checkpoint: cp.file,
    };
  };
  while (pending[0] && pending[0].size <= frontier.size) {
    const cp = pending.shift() as (typeof pending)[number];
    if (cp.size < frontier.size) {
      summary.beforeAnchor++;
      continue;
    }
    summary.compared++;
    if (!frontierRoot(frontier).equals(cp.root)) {
      return fail({
        seq: cp.size,
        id: null,
        reason: `the retention anchor's Merkle frontier does not match the signed checkpoint ${cp.file} (tree size ${cp.size})`,
        checkpoint: cp.file,
      });
    }
    lastMatch = { file: cp.file, size: cp.size };
  }

  for (;;) {
    let query = db.selectFrom("audit_events").selectAll().where("seq", ">", prevSeq);
    if (head) query = query.where("seq", "<=", head.seq);
    const rows = await query.orderBy("seq").limit(limit).execute();
    const full = rows.length === limit;
    const indexed = await targetsIndexed(db, prevSeq, full ? (rows[rows.length - 1]?.seq ?? null) : (head?.seq ?? null));
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
      // Leaf i of the tree is seq i + 1: a gap (a removed event, the rest re-hashed) shifts every later leaf.
      if (row.seq !== prevSeq + 1) return fail({ seq: prevSeq + 1, id: null, reason: `seq ${prevSeq + 1} is missing (removed event)` });
      firstUnmatched ??= { seq: row.seq, id: row.id };
      frontierPush(frontier, leafHash(Buffer.from(row.hash, "hex")));
      while (pending[0] && pending[0].size === row.seq) {
        const cp = pending.shift() as (typeof pending)[number];
        summary.compared++;
        if (!frontierRoot(frontier).equals(cp.root)) return fail(mismatch(cp));
        lastMatch = { file: cp.file, size: cp.size };
        firstUnmatched = null;
      }
      if (anchor && row.action === RETENTION_ACTION && vouchesFor(row.detail, anchor, anchorRow?.merkle_frontier ?? null)) anchorVouched = true;
      indexed.delete(row.seq);
      prevHash = row.hash;
      prevSeq = row.seq;
      last = { seq: row.seq, id: row.id, hash: row.hash };
      checked++;
    }
    const orphan = [...indexed.keys()][0];
    if (orphan !== undefined) return fail({ seq: orphan, id: null, reason: "audit_targets rows reference a missing event" });
    if (!full) break;
    // SQLite answers synchronously: without a turn of the event loop between batches, a portal verifying its own
    // chain would answer nobody until the whole walk is over.
    await nextTurn();
  }

  if (!head) return fail({ seq: last?.seq ?? 0, id: null, reason: "chain head row is missing" });
  const expected = last ?? { seq: anchor?.seq ?? 0, id: null, hash: anchor?.hash ?? GENESIS_HASH };
  if (head.seq !== expected.seq || head.hash !== expected.hash) {
    return fail({ seq: head.seq, id: expected.id, reason: "chain head does not match the last event (truncated or appended outside the recorder)" });
  }
  if (!anchorVouched && anchor) {
    return fail({ seq: anchor.seq, id: null, reason: "retention anchor is not vouched for by an audit.retention event" });
  }
  if (head.merkle_frontier !== frontierToJson(frontier)) {
    return fail({ seq: head.seq, id: null, reason: "the chain head's Merkle frontier does not match the events (tree state rewritten)" });
  }
  summary.latest = lastMatch;
  const outside = await beyondHead(db);
  if (outside) return fail(outside);
  const tree = { size: frontier.size, root: frontierRoot(frontier).toString("hex") };
  // Signed checkpoints past the store's end: the chain is whole up to its head, but the events after it that the
  // newest checkpoint covers are gone (cut from the end with the head moved back, or a restore from an older backup).
  const newest = pending.at(-1);
  if (newest) {
    const missing: MissingSpan = { from: head.seq + 1, to: newest.size, checkpoint: newest.file, matchedThrough: lastMatch?.size ?? anchor?.seq ?? 0 };
    const unsure =
      missing.matchedThrough === head.seq
        ? ""
        : `; events after seq ${missing.matchedThrough}, the last signed checkpoint the store matches, may also have been changed`;
    return {
      ...fail({
        seq: missing.from,
        id: null,
        reason: `${missingSpanText(missing, head.seq)} (the store ends at seq ${head.seq}: events removed from the end, or restored from an older backup${unsure})`,
        checkpoint: newest.file,
      }),
      tree,
      missing,
    };
  }
  return {
    ok: true,
    checked,
    head: { seq: head.seq, hash: head.hash },
    ...(anchor ? { anchor } : {}),
    tree,
    ...(files ? { checkpoints: summary } : {}),
  };
}

/** "events 1042–1187 are missing: the latest signed checkpoint covers 1187 events, the store has 1041". */
export function missingSpanText(missing: MissingSpan, storeHas: number): string {
  const span = missing.from === missing.to ? `event ${missing.from} is` : `events ${missing.from}–${missing.to} are`;
  return `${span} missing: the latest signed checkpoint covers ${missing.to} events, the store has ${storeHas}`;
}

function readHead(db: Kysely<Database>) {
  return db.selectFrom("audit_chain_head").select(["seq", "hash", "merkle_frontier"]).where("id", "=", 1).executeTakeFirst();
}

/**
 * Rows past the head that no recorder wrote. The maxima are read before the head again: the recorder commits
 * rows and head together, so any committed row is covered by a head read after it.
 */
async function beyondHead(db: Kysely<Database>): Promise<ChainFault | null> {
  const events = await db
    .selectFrom("audit_events")
    .select((eb) => eb.fn.max("seq").as("max"))
    .executeTakeFirst();
  const targets = await db
    .selectFrom("audit_targets")
    .select((eb) => eb.fn.max("event_seq").as("max"))
    .executeTakeFirst();
  const head = await readHead(db);
  const headSeq = head?.seq ?? 0;
  const maxEvent = Number(events?.max ?? 0);
  if (maxEvent > headSeq) return { seq: maxEvent, id: null, reason: "event beyond the chain head (appended outside the recorder)" };
  const maxTarget = Number(targets?.max ?? 0);
  if (maxTarget > headSeq) return { seq: maxTarget, id: null, reason: "audit_targets rows reference a missing event" };
  return null;
}

function vouchesFor(detail: string | null, anchor: { seq: number; hash: string }, frontierJson: string | null): boolean {
  try {
    const parsed: unknown = JSON.parse(detail ?? "null");
    if (typeof parsed !== "object" || parsed === null || !("anchor" in parsed)) return false;
    const claimed: unknown = parsed.anchor;
    if (typeof claimed !== "object" || claimed === null || !("seq" in claimed) || !("hash" in claimed)) return false;
    if (claimed.seq !== anchor.seq || claimed.hash !== anchor.hash) return false;
    // Since 0008 the event also names the root the kept frontier makes.
    if (frontierJson === null) return true;
    const root = frontierRoot(frontierFromJson(anchor.seq, frontierJson)).toString("hex");
    return "root" in claimed && claimed.root === root;
  } catch {
    return false;
  }
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

/**
 * verifyChain on one consistent snapshot, for a long walk beside running writers (and retention):
 * PostgreSQL in a read-only repeatable-read transaction, SQLite in a read transaction (WAL snapshot).
 * Give it its own connection on SQLite: the snapshot holds that connection for the whole walk.
 */
export async function verifyChainSnapshot(db: Kysely<Database>, opts: VerifyOptions = {}): Promise<ChainVerification> {
  if (dialectOf(db) === "postgres") {
    return db
      .transaction()
      .setIsolationLevel("repeatable read")
      .setAccessMode("read only")
      .execute((trx) => verifyChain(trx, opts));
  }
  return db.connection().execute(async (conn) => {
    await sql`begin`.execute(conn);
    try {
      return await verifyChain(conn, opts);
    } finally {
      await sql`rollback`.execute(conn).catch(() => {});
    }
  });
}
