// One audit event as an OCSF 1.x event (https://schema.ocsf.io/1.3.0). Driven by the action registry
// (lib/audit/actions.ts, field `ocsf`); `alert.*` actions are Detection Findings by name. Only ids of customers go
// out: a customer action's query and detail (search filters, emails looked up) are sent as their keys only.
import { AUDIT_ACTIONS, isAuditAction, type OcsfMappingSpec } from "../audit/actions";
import type { AuditEventRow } from "../db/schema";
import { actionLabel } from "../audit/action-label";
import { englishT } from "../i18n/english";
import pkg from "../../package.json";

export const OCSF_VERSION = "1.3.0";
const PRODUCT = { name: "Devdraft customer portal", vendor_name: "Devdraft", version: pkg.version } as const;

const CLASS_NAMES: Record<number, string> = {
  0: "Base Event",
  2004: "Detection Finding",
  3001: "Account Change",
  3002: "Authentication",
  6002: "Application Lifecycle",
  6003: "API Activity",
};
const CATEGORY_NAMES: Record<number, string> = {
  0: "Uncategorized",
  2: "Findings",
  3: "Identity & Access Management",
  6: "Application Activity",
};
const ACTIVITY_NAMES: Record<number, Record<number, string>> = {
  0: { 0: "Unknown" },
  2004: { 1: "Create", 2: "Update", 3: "Close" },
  3001: { 1: "Create", 2: "Enable", 3: "Password Change", 4: "Password Reset", 5: "Disable", 6: "Delete", 7: "Attach Policy", 8: "Detach Policy" },
  3002: { 1: "Logon", 2: "Logoff" },
  6002: { 1: "Install", 2: "Remove", 3: "Start", 4: "Stop" },
  6003: { 1: "Create", 2: "Read", 3: "Update", 4: "Delete" },
};

export class MissingOcsfMappingError extends Error {
  constructor(action: string) {
    super(`audit action ${action} has no OCSF mapping: add \`ocsf\` to it in lib/audit/actions.ts`);
    this.name = "MissingOcsfMappingError";
  }
}

/**
 * The OCSF class and activity of a registry action. `alert.*` actions are Detection Findings (2004): `*.acknowledge`
 * / `*.resolve` update or close the finding, anything else creates one. Throws for a registry action without a mapping.
 */
export function ocsfMappingFor(action: string): OcsfMappingSpec {
  if (action.startsWith("alert.")) {
    const verb = action.slice(action.lastIndexOf(".") + 1);
    return { class: 2004, activity: verb === "acknowledge" ? 2 : verb === "resolve" || verb === "close" ? 3 : 1 };
  }
  if (isAuditAction(action)) {
    const spec = (AUDIT_ACTIONS[action] as { ocsf?: OcsfMappingSpec }).ocsf;
    if (!spec) throw new MissingOcsfMappingError(action);
    return spec;
  }
  throw new MissingOcsfMappingError(action);
}

/** The staff member's name, where the shipper knows it (not stored in the event). */
export type StaffNames = ReadonlyMap<string, string>;

type Json = Record<string, unknown>;

/** Kinds whose query and detail may carry customer data (search filters, an email looked up): keys only. */
function customerFacing(action: string): boolean {
  if (action.startsWith("alert.")) return true;
  if (!isAuditAction(action)) return true;
  const kind = AUDIT_ACTIONS[action].kind;
  // access.refused summarises refused requests of any door, with their raw queries.
  return kind === "customer" || kind === "audit" || action === "access.refused";
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function keysOf(value: unknown): string[] | null {
  return value && typeof value === "object" && !Array.isArray(value) ? Object.keys(value).sort() : null;
}

function severityOf(row: AuditEventRow, classUid: number): number {
  if (row.action === "audit.verify" && row.outcome === "failed") return 5; // Critical: the log was tampered with
  if (classUid === 2004) return 4; // High: an alert about staff behaviour
  if (row.outcome === "ok") return 1; // Informational
  if (row.outcome === "rate_limited" || row.action === "access.refused") return 3; // Medium: someone is pushing
  return 2; // Low
}

/**
 * The OCSF event for one stored audit event. Events of actions no longer in the registry (old logs) go out as a
 * Base Event (class 0) rather than blocking the stream.
 */
export function toOcsf(row: AuditEventRow, names: StaffNames = new Map()): Json {
  let mapping: OcsfMappingSpec | { class: 0; activity: 0 };
  try {
    mapping = ocsfMappingFor(row.action);
  } catch (err) {
    if (isAuditAction(row.action)) throw err;
    mapping = { class: 0, activity: 0 };
  }
  const classUid = mapping.class;
  const categoryUid = Math.floor(classUid / 1000);
  const activityId = mapping.activity;
  const ok = row.outcome === "ok";
  const targets = parseJson(row.targets);
  const query = parseJson(row.query);
  const detail = parseJson(row.detail);
  const hideData = customerFacing(row.action);
  const activityName = ACTIVITY_NAMES[classUid]?.[activityId] ?? actionLabel(englishT, row.action);
  const staffName = row.actor_id ? names.get(row.actor_id) : undefined;

  const event: Json = {
    class_uid: classUid,
    class_name: CLASS_NAMES[classUid],
    category_uid: categoryUid,
    category_name: CATEGORY_NAMES[categoryUid],
    activity_id: activityId,
    activity_name: activityName,
    type_uid: classUid * 100 + activityId,
    severity_id: severityOf(row, classUid),
    status_id: ok ? 1 : 2,
    status: ok ? "Success" : "Failure",
    status_code: row.outcome,
    ...(row.refusal ? { status_detail: row.refusal } : {}),
    time: Date.parse(row.at),
    // A SIEM reads one language: English, whoever made the event.
    message: actionLabel(englishT, row.action),
    metadata: {
      version: OCSF_VERSION,
      product: PRODUCT,
      uid: row.id,
      sequence: row.seq,
      original_time: row.at,
      log_name: "audit_events",
      correlation_uid: row.request_id,
    },
    actor: {
      ...(row.actor_id || row.actor_email
        ? { user: { uid: row.actor_id ?? undefined, email_addr: row.actor_email ?? undefined, name: staffName, type_id: 1 } }
        : {}),
      ...(row.session_id ? { session: { uid: row.session_id } } : {}),
    },
    ...(row.client_address ? { src_endpoint: { ip: row.client_address } } : {}),
    ...(row.user_agent ? { http_request: { user_agent: row.user_agent } } : {}),
    api: { operation: row.action, request: { uid: row.request_id } },
    resources: Array.isArray(targets) ? targets.map((id) => ({ uid: String(id), type: "customer" })) : [],
    unmapped: {
      action: row.action,
      outcome: row.outcome,
      purpose_given: row.purpose !== null,
      ...(hideData ? { query_keys: keysOf(query), detail_keys: keysOf(detail) } : { query, detail }),
      chain: { seq: row.seq, hash: row.hash, prev_hash: row.prev_hash },
    },
  };

  // Class-specific required attributes.
  if (classUid === 3002) {
    // The user authenticating: the actor, or on a refused sign-in the staff email that was tried.
    const tried = !hideData && query && typeof query === "object" ? (query as Json).email : undefined;
    event.user =
      row.actor_id || row.actor_email
        ? { uid: row.actor_id ?? undefined, email_addr: row.actor_email ?? undefined, name: staffName }
        : { email_addr: typeof tried === "string" ? tried : undefined };
    if (activityId === 99) event.activity_name = row.action;
    if (query && typeof query === "object" && typeof (query as Json).provider === "string") event.auth_protocol = (query as Json).provider;
  } else if (classUid === 3001) {
    // The account changed: the staff email in the query (the CLI and admin page name it), else the actor.
    const email = query && typeof query === "object" ? (query as Json).email : undefined;
    event.user = typeof email === "string" ? { email_addr: email } : { uid: row.actor_id ?? undefined, email_addr: row.actor_email ?? undefined };
    if (activityId === 99) event.activity_name = row.action;
  } else if (classUid === 6002) {
    event.app = { name: PRODUCT.name, vendor_name: PRODUCT.vendor_name, version: PRODUCT.version };
    if (activityId === 99) event.activity_name = row.action;
  } else if (classUid === 2004) {
    event.finding_info = { uid: row.id, title: row.action, types: ["staff-behaviour"] };
  }
  return event;
}
