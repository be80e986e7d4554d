import "server-only";
import { createHash } from "node:crypto";

/** prev_hash of the first event in the chain (also what the migration seeds the head with). */
export { GENESIS_HASH } from "../db/migrations";

/** The stored text of an event that the hash covers: everything except seq and hash itself. */
export interface AuditHashFields {
  id: string;
  at: string;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  targets: string;
  query: string;
  request_id: string;
  outcome: string;
  detail: string | null;
  session_id: string | null;
  client_address: string | null;
  user_agent: string | null;
  refusal: string | null;
  purpose: string | null;
}

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
