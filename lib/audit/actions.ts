// The one registry of audited actions and their outcomes. The recorder validates against it, the audit filters
// offer it, the audit pages label it in the reader's language (`audit.actions.<name>` in messages/) and the tests iterate it. Browser-safe: no server imports.

export const AUDIT_OUTCOMES = ["ok", "denied", "invalid", "rate_limited", "upstream_error", "not_found", "failed"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** What kind of door an action is; the access report lists `customer` actions. */
type ActionKind = "customer" | "audit" | "auth" | "staff" | "system";

/**
 * How the action is streamed to a SIEM as OCSF 1.x (lib/siem/ocsf.ts): its event class and activity id.
 * 6003 API Activity (1 Create, 2 Read, 4 Delete), 3002 Authentication (1 Logon, 2 Logoff, 99 Other),
 * 3001 Account Change (1 Create, 2 Enable, 3 Password Change, 4 Password Reset, 5 Disable, 7 Attach Policy,
 * 8 Detach Policy, 99 Other), 6002 Application Lifecycle (3 Start, 99 Other). `alert.*` actions need none: they
 * are Detection Findings (2004) by name.
 */
type OcsfClassUid = 2004 | 3001 | 3002 | 6002 | 6003;
export interface OcsfMappingSpec {
  class: OcsfClassUid;
  activity: number;
}

type ActionSpec = { description: string; kind: ActionKind; outcomes: readonly AuditOutcome[]; ocsf?: OcsfMappingSpec };

// Staff changes: done, refused by a rule (self, last admin, role), bad input, no such account, or an error.
const STAFF_OUTCOMES = ["ok", "denied", "invalid", "not_found", "failed"] as const;
const READ_OUTCOMES = ["ok", "denied", "invalid", "rate_limited", "upstream_error", "not_found", "failed"] as const;

export const AUDIT_ACTIONS = {
  "customers.list": {
    ocsf: { class: 6003, activity: 2 },
    kind: "customer",
    outcomes: READ_OUTCOMES,
    description: "A page of the customer list, naming exactly the customers sent to the browser.",
  },
  "api.customers.list": {
    ocsf: { class: 6003, activity: 2 },
    kind: "customer",
    outcomes: READ_OUTCOMES,
    description:
      "A page of GET /api/v0/customers for a staff member's script, with contact details as Devdraft sends them; the session is the token (token:<id>).",
  },
  "customer.view": {
    ocsf: { class: 6003, activity: 2 },
    kind: "customer",
    outcomes: READ_OUTCOMES,
    description: "One customer's detail page or API answer.",
  },
  "customer.reveal": {
    ocsf: { class: 6003, activity: 2 },
    kind: "customer",
    outcomes: READ_OUTCOMES,
    description: "A customer's unmasked email and phone number.",
  },
  "customer.lookup": {
    ocsf: { class: 6003, activity: 2 },
    kind: "audit",
    outcomes: READ_OUTCOMES,
    description: "An auditor's lookup through Devdraft for the access report.",
  },
  "customers.export": {
    ocsf: { class: 6003, activity: 2 },
    kind: "customer",
    outcomes: ["ok", "failed", "upstream_error", "rate_limited"],
    description: "Every customer in a finished export file, written before the file can be downloaded.",
  },
  "export.start": {
    ocsf: { class: 6003, activity: 1 },
    kind: "customer",
    outcomes: ["ok", "denied", "invalid", "failed"],
    description: "An export job was asked for, with its filters.",
  },
  "export.status": {
    ocsf: { class: 6003, activity: 2 },
    kind: "customer",
    outcomes: ["ok", "denied", "not_found"],
    description: "Progress of an export job; only refusals are recorded (the page polls).",
  },
  "export.cancel": {
    ocsf: { class: 6003, activity: 4 },
    kind: "customer",
    outcomes: ["ok", "denied", "not_found"],
    description: "An export job was stopped and its file deleted.",
  },
  "export.download": {
    ocsf: { class: 6003, activity: 2 },
    kind: "customer",
    outcomes: ["ok", "denied", "not_found"],
    description: "A finished export file left the server.",
  },
  "audit.view": {
    ocsf: { class: 6003, activity: 2 },
    kind: "audit",
    outcomes: ["ok", "denied", "invalid"],
    description: "An audit page or GET /api/audit.",
  },
  "audit.export": {
    ocsf: { class: 6003, activity: 2 },
    kind: "audit",
    outcomes: ["ok", "denied", "invalid"],
    description: "A CSV or JSONL download of audit events.",
  },
  "audit.access_report": {
    ocsf: { class: 6003, activity: 2 },
    kind: "audit",
    outcomes: ["ok", "denied", "invalid", "not_found"],
    description: "Every access to one customer in a period, for a data-subject request.",
  },
  "audit.verify": {
    ocsf: { class: 6002, activity: 99 },
    kind: "system",
    outcomes: ["ok", "failed"],
    description: "A verification run and its verdict.",
  },
  "audit.retention": {
    ocsf: { class: 6002, activity: 99 },
    kind: "system",
    outcomes: ["ok"],
    description: "Whole days past the retention period were removed, leaving an anchor.",
  },
  "auth.signin": {
    ocsf: { class: 3002, activity: 1 },
    kind: "auth",
    outcomes: ["ok", "denied", "invalid", "rate_limited"],
    description: "A sign-in attempt; failures carry the email tried.",
  },
  "auth.signout": { ocsf: { class: 3002, activity: 2 }, kind: "auth", outcomes: ["ok"], description: "A staff member signed out." },
  "auth.session_expired": {
    ocsf: { class: 3002, activity: 99 },
    kind: "auth",
    outcomes: ["denied"],
    description: "A session passed its idle timeout or its lifetime; recorded once, by the first request that found it so.",
  },
  "auth.step_up": {
    ocsf: { class: 3002, activity: 99 },
    kind: "auth",
    outcomes: ["ok", "denied", "invalid", "rate_limited"],
    description: "The password given again inside a session, before a sensitive action.",
  },
  "session.list": {
    ocsf: { class: 6003, activity: 2 },
    kind: "auth",
    outcomes: ["ok", "denied"],
    description: "An admin's view of everyone's open sessions.",
  },
  "session.revoke": {
    ocsf: { class: 3002, activity: 2 },
    kind: "auth",
    outcomes: ["ok", "denied", "not_found"],
    description: "One session ended by its owner or an admin; takes effect on its next request.",
  },
  "session.revoke_all": {
    ocsf: { class: 3002, activity: 2 },
    kind: "auth",
    outcomes: ["ok", "denied", "not_found"],
    description: "Every session of one person ended, by that person or an admin.",
  },
  "access.refused": {
    ocsf: { class: 3002, activity: 99 },
    kind: "auth",
    outcomes: ["denied", "invalid"],
    description: "Refusals of clients with no session, one event per address and minute past the first few.",
  },
  "staff.list": {
    ocsf: { class: 6003, activity: 2 },
    kind: "staff",
    outcomes: ["ok", "denied"],
    description: "The staff page (/admin/staff), admins only.",
  },
  "staff.add": {
    ocsf: { class: 3001, activity: 1 },
    kind: "staff",
    outcomes: STAFF_OUTCOMES,
    description: "A new staff account, with its role (and whether it has a password).",
  },
  "staff.role_change": {
    ocsf: { class: 3001, activity: 99 },
    kind: "staff",
    outcomes: STAFF_OUTCOMES,
    description: "A staff member's role, before and after.",
  },
  "staff.disable": {
    ocsf: { class: 3001, activity: 5 },
    kind: "staff",
    outcomes: STAFF_OUTCOMES,
    description: "A staff account can no longer sign in.",
  },
  "staff.enable": {
    ocsf: { class: 3001, activity: 2 },
    kind: "staff",
    outcomes: STAFF_OUTCOMES,
    description: "A disabled staff account may sign in again.",
  },
  "staff.reset_password": {
    ocsf: { class: 3001, activity: 4 },
    kind: "staff",
    outcomes: STAFF_OUTCOMES,
    description: "An admin (or the CLI) set another staff member's password; never the password itself.",
  },
  "staff.password_change": {
    ocsf: { class: 3001, activity: 3 },
    kind: "staff",
    outcomes: ["ok", "denied", "invalid", "not_found", "rate_limited", "failed"],
    description: "A staff member changed their own password after giving the current one; never the password itself.",
  },
  "token.create": {
    ocsf: { class: 3001, activity: 99 },
    kind: "auth",
    outcomes: ["ok", "denied", "invalid", "not_found"],
    description: "A personal API token for reading customers, with its id and expiry (never its secret).",
  },
  "token.revoke": {
    ocsf: { class: 3001, activity: 99 },
    kind: "auth",
    outcomes: ["ok", "denied", "not_found"],
    description: "A personal API token stopped working.",
  },
  "grant.create": {
    ocsf: { class: 3001, activity: 7 },
    kind: "staff",
    outcomes: ["ok", "denied", "invalid", "not_found"],
    description: "An admin let an agent export for some hours, with the reason; the grant's id, holder and expiry are in the detail.",
  },
  "grant.revoke": {
    ocsf: { class: 3001, activity: 8 },
    kind: "staff",
    outcomes: ["ok", "denied", "invalid", "not_found"],
    description: "An admin ended a live grant before its expiry.",
  },
  "export.expire": {
    ocsf: { class: 6003, activity: 4 },
    kind: "system",
    outcomes: ["ok"],
    description: "A finished export file was never downloaded and was deleted once EXPORT_TTL had passed; the job's id and owner are in the detail.",
  },
  "alert.bulk_viewing": {
    kind: "system",
    outcomes: ["ok"],
    description:
      "The portal raised an alert: one staff member saw more distinct customers in a UTC hour than AUDIT_ALERT_CUSTOMERS_PER_HOUR. Names the staff member, the hour and the count, never the customers; raised once per staff member and hour.",
  },
  "alert.acknowledge": {
    kind: "audit",
    outcomes: ["ok", "denied", "invalid", "not_found", "failed"],
    description: "An auditor or admin acknowledged an alert, with an optional note; a second acknowledgement is refused.",
  },
  "view.list": {
    ocsf: { class: 6003, activity: 2 },
    kind: "staff",
    outcomes: ["ok", "denied"],
    description: "The saved views and recently viewed customer ids a staff member's palette reads; only refusals are recorded.",
  },
  "view.create": {
    ocsf: { class: 6003, activity: 1 },
    kind: "staff",
    outcomes: ["ok", "denied", "invalid"],
    description: "A named filter set of the customer list, private or shared, with its id and query.",
  },
  "view.rename": {
    ocsf: { class: 6003, activity: 3 },
    kind: "staff",
    outcomes: ["ok", "denied", "invalid", "not_found"],
    description: "A saved view's name, before and after; only its owner may.",
  },
  "view.delete": {
    ocsf: { class: 6003, activity: 4 },
    kind: "staff",
    outcomes: ["ok", "denied", "not_found"],
    description: "A saved view was removed by its owner; its name and query are in the detail.",
  },
  "preferences.columns": {
    ocsf: { class: 6003, activity: 3 },
    kind: "staff",
    outcomes: ["ok", "denied", "invalid"],
    description: "A person's own choice of the customer table's columns, their order, widths and density.",
  },
  "preferences.locale": {
    ocsf: { class: 6003, activity: 3 },
    kind: "staff",
    outcomes: ["ok", "denied", "invalid"],
    description: "A person's own choice of the portal's language (English or German).",
  },
  "portal.start": {
    ocsf: { class: 6002, activity: 3 },
    kind: "system",
    outcomes: ["ok"],
    description: "An instance started, with a fingerprint of its settings and the retention in force.",
  },
} as const satisfies Record<string, ActionSpec>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as AuditAction[];

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === "string" && Object.hasOwn(AUDIT_ACTIONS, value);
}

/** Actions that name customers: what the access report and the recent-access panel read. */
export const CUSTOMER_ACTIONS = AUDIT_ACTION_NAMES.filter((a) => AUDIT_ACTIONS[a].kind === "customer");
