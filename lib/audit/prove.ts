import "server-only";
import type { Kysely } from "kysely";
import type { AuditEventRow, Database } from "../db/schema";
import type { CheckpointFile } from "./checkpoints";
import {
  type Hash,
  type RangeHash,
  frontierFromJson,
  frontierRanges,
  inclusionProof,
  leafHash,
  nodeHash,
  rootFromInclusionProof,
  splitPoint,
} from "@/lib/merkle/tree";

/** An inclusion proof for one event in a signed checkpoint: everything the offline checker needs but the public key. */
export interface EventProof {
  format: "devdraft-audit-inclusion-proof/v1";
  /** The stored event; the checker recomputes its row hash from these fields and prev_hash. */
  event: AuditEventRow;
  /** Leaf index (seq - 1); leaf data = the 32 bytes of the event's row hash. */
  leaf_index: number;
  tree_size: number;
  /** Sibling hashes, innermost first, base64 (RFC 9162 §2.1.3). */
  hashes: string[];
  checkpoint_file: string;
  /** The signed checkpoint note, as written. */
  checkpoint: string;
}

export class ProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProofError";
  }
}

/**
 * Builds the inclusion proof of the event with `eventId` in the smallest valid signed checkpoint that covers it.
 * Leaves removed by retention are replaced by the frontier kept at the anchor: every subtree a proof needs from the
 * purged part is one of its entries.
 */
export async function proveEvent(db: Kysely<Database>, eventId: string, checkpoints: CheckpointFile[]): Promise<EventProof> {
  const event = await db.selectFrom("audit_events").selectAll().where("id", "=", eventId).executeTakeFirst();
  if (!event) throw new ProofError(`no event ${eventId} in the store (never written, or removed by retention)`);
  const covering = checkpoints
    .filter((c) => c.ok && c.checkpoint && c.checkpoint.size >= event.seq)
    .sort((a, b) => (a.checkpoint?.size ?? 0) - (b.checkpoint?.size ?? 0))[0];
  if (!covering?.checkpoint) throw new ProofError(`no valid signed checkpoint covers seq ${event.seq} yet (one is signed at least every 30 s)`);
  const size = covering.checkpoint.size;

  const range = await storeRange(db, size);
  const index = event.seq - 1;
  const proof = inclusionProof(index, size, range);
  const root = rootFromInclusionProof(index, size, leafHash(Buffer.from(event.hash, "hex")), proof);
  if (!root?.equals(covering.checkpoint.root)) {
    throw new ProofError(`the store does not match the signed checkpoint ${covering.file}; run npm run audit:verify`);
  }
  return {
    format: "devdraft-audit-inclusion-proof/v1",
    event,
    leaf_index: index,
    tree_size: size,
    hashes: proof.map((h) => h.toString("base64")),
    checkpoint_file: covering.file,
    checkpoint: covering.text,
  };
}

/**
 * Subtree hashes of the store's tree of `size` leaves (reads every leaf after the retention anchor: O(n)). Leaves
 * removed by retention are replaced by the frontier kept at the anchor: every subtree a proof needs from the purged
 * part is one of its entries.
 */
export async function storeRange(db: Kysely<Database>, size: number): Promise<RangeHash> {
  const anchor = await db.selectFrom("audit_anchor").select(["seq", "merkle_frontier"]).orderBy("seq", "desc").limit(1).executeTakeFirst();
  const base = anchor?.seq ?? 0;
  const stored = new Map<string, Hash>();
  if (anchor) {
    if (!anchor.merkle_frontier) throw new ProofError("the retention anchor has no Merkle frontier");
    const frontier = frontierFromJson(anchor.seq, anchor.merkle_frontier);
    frontierRanges(anchor.seq).forEach(([lo, hi], i) => stored.set(`${lo}:${hi}`, frontier.hashes[i] as Hash));
  }
  const leaves: Hash[] = [];
  for (let after = base; after < size;) {
    const rows = await db
      .selectFrom("audit_events")
      .select(["seq", "hash"])
      .where("seq", ">", after)
      .where("seq", "<=", size)
      .orderBy("seq")
      .limit(10_000)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.seq !== base + leaves.length + 1) throw new ProofError(`seq ${base + leaves.length + 1} is missing; run npm run audit:verify`);
      leaves.push(leafHash(Buffer.from(row.hash, "hex")));
    }
    after = rows[rows.length - 1]?.seq ?? size;
  }
  if (base + leaves.length !== size) throw new ProofError(`the store has ${base + leaves.length} events, the checkpoint ${size}`);
  const range = (lo: number, hi: number): Hash => {
    const known = stored.get(`${lo}:${hi}`);
    if (known) return known;
    if (hi - lo === 1) {
      const leaf = leaves[lo - base];
      if (!leaf) throw new ProofError(`leaf ${lo} was removed by retention and is not in the kept frontier`);
      return leaf;
    }
    const k = splitPoint(hi - lo);
    return nodeHash(range(lo, lo + k), range(lo + k, hi));
  };
  return range;
}
