import "server-only";
import { createHash } from "node:crypto";
import type { Selectable } from "kysely";
import type { Database } from "../db/schema";

/** prev_hash of the first event in the chain (also what the migration seeds the head with). */
export { GENESIS_HASH } from "../db/migrations";

/** The stored text of an event that the hash covers: every column of `audit_events` except seq and the hashes. */
export type AuditHashFields = Omit<Selectable<Database["audit_events"]>, "seq" | "prev_hash" | "hash">;

/**
 * A JSON array in a fixed field order. The JSON-typed columns are hashed as their stored text,
 * so verification recomputes exactly what the recorder hashed without re-serialising.
 * Events written before the origin columns existed have all five null and keep their 11-item form; any event
 * with one of them set hashes all 16 items, so blanking them afterwards changes the hash.
 */
export function canonicalEventString(prevHash: string, f: AuditHashFields): string {
  const origin = [f.session_id, f.client_address, f.user_agent, f.refusal, f.purpose];
  return JSON.stringify([
    prevHash,
    f.id,
    f.at,
    f.actor_id,
    f.actor_email,
    f.action,
    f.targets,
    f.query,
    f.request_id,
    f.outcome,
    f.detail,
    ...(origin.every((v) => v == null) ? [] : origin.map((v) => v ?? null)),
  ]);
}

/** sha256 hex of the canonical serialisation, chained to the previous event's hash. */
export function hashEvent(prevHash: string, fields: AuditHashFields): string {
  return createHash("sha256").update(canonicalEventString(prevHash, fields), "utf8").digest("hex");
}
