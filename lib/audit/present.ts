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

/**
 * Customer names an event itself holds (`detail.customers: [{id, name}]` or `detail.names: {id: name}`);
 * the audit pages never ask Devdraft, so an id without a name here is shown as the id alone.
 */
export function customerNames(detail: string | null): Map<string, string> {
  const names = new Map<string, string>();
  const value = parsed(detail);
  if (typeof value !== "object" || value === null) return names;
  if ("customers" in value && Array.isArray(value.customers)) {
    for (const c of value.customers as unknown[]) {
      if (typeof c === "object" && c !== null && "id" in c && "name" in c && typeof c.id === "string" && typeof c.name === "string") names.set(c.id, c.name);
    }
  }
  if ("names" in value && typeof value.names === "object" && value.names !== null) {
    for (const [id, name] of Object.entries(value.names)) if (typeof name === "string") names.set(id, name);
  }
  return names;
}
