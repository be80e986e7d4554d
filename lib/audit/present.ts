import "server-only";
import type { AuditEventRow } from "../db/schema";

/** An event as the API and JSONL export show it: the JSON columns parsed, everything else as stored. */
export interface PublicAuditEvent {
  seq: number;
  id: string;
  at: string;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  targets: string[];
  query: unknown;
  request_id: string;
  outcome: string;
  detail: unknown;
  prev_hash: string;
  hash: string;
}

function parsed(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    // A stored value that is not JSON is itself evidence; show it as it is rather than hide it.
    return text;
  }
}

export function targetIds(targets: string): string[] {
  const value = parsed(targets);
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === "string") : [];
}

export function toPublicEvent(row: AuditEventRow): PublicAuditEvent {
  return { ...row, targets: targetIds(row.targets), query: parsed(row.query), detail: parsed(row.detail) };
}
