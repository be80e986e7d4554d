import "server-only";
import type { Generated, Selectable } from "kysely";
import type { Role } from "@/lib/roles";

/** Timestamps are ISO 8601 UTC strings with milliseconds in both stores. */
type IsoTimestamp = string;

interface StaffTable {
  id: string;
  /** Always stored lowercased (enforced by a CHECK constraint). */
  email: string;
  name: string;
  /** One of ROLES (lib/roles.ts); the migration's CHECK constraint holds the same list. */
  role: Role;
  /** Null for OIDC-only staff. */
  password_hash: string | null;
  disabled_at: IsoTimestamp | null;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
}

interface AuditEventsTable {
  /** Chain order; assigned by the recorder while it holds the chain head. */
  seq: Generated<number>;
  id: string;
  at: IsoTimestamp;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  /** JSON array of customer ids. */
  targets: string;
  /** Canonical JSON object (sorted keys) of the normalised query. */
  query: string;
  request_id: string;
  outcome: string;
  /** Canonical JSON or null. */
  detail: string | null;
  /** Where and in which session (null for events without a request: CLI, schedule, start-up). */
  session_id: string | null;
  client_address: string | null;
  user_agent: string | null;
  /** Why a refusal or failure happened. */
  refusal: string | null;
  /** The purpose given for the access, where one was asked. */
  purpose: string | null;
  prev_hash: string;
  hash: string;
}

interface AuditTargetsTable {
  event_seq: number;
  customer_id: string;
  /** PostgreSQL only (migration 0020): the event's `at`, the key audit_targets is partitioned by month on. */
  event_at?: string;
}

interface AuditChainHeadTable {
  /** Always 1: a single row writers serialise on. */
  id: number;
  seq: number;
  hash: string;
  /** The Merkle tree's right edge over events 1..seq: a JSON array of hex subtree hashes (lib/merkle/tree.ts). */
  merkle_frontier: string;
}

/** Where the chain starts after retention removed its oldest days (the last removed event). */
interface AuditAnchorTable {
  seq: number;
  hash: string;
  /** Events stamped before this instant (a UTC midnight) were removed. */
  removed_through: IsoTimestamp;
  at: IsoTimestamp;
  /** The Merkle frontier over events 1..seq, kept when they were removed (null only for anchors before 0008). */
  merkle_frontier: string | null;
}

/** The last scheduled verification of the chain (one row, id 1), shared by every instance. */
interface AuditVerificationTable {
  id: number;
  verified_at: IsoTimestamp;
  /** 1 or 0 (SQLite has no boolean). */
  ok: number;
  checked: number;
  head_seq: number | null;
  first_bad_seq: number | null;
  first_bad_id: string | null;
  reason: string | null;
  duration_ms: number;
  /** Signed checkpoints checked against the store (null before 0008 or when none were configured). */
  checkpoints: number | null;
  /** The newest checkpoint that matched, or the one that proves the fault. */
  checkpoint_file: string | null;
  checkpoint_size: number | null;
}

interface LoginAttemptsTable {
  /** e.g. `email:someone@example.com` or `ip:203.0.113.7`. */
  key: string;
  at: IsoTimestamp;
  /** The reservation this row belongs to; null for rows written before reservations. */
  attempt_id: string | null;
}

interface UpstreamBudgetTable {
  /** Window start, epoch milliseconds. */
  window_start: number;
  used: number;
}

/** A caller waiting for a slot of the shared upstream budget, on any instance (lib/devdraft/store-budget.ts). */
interface UpstreamBudgetWaitersTable {
  id: string;
  /** interactive, export or background (lib/devdraft/fair-share.ts). */
  lane: string;
  /** The staff id it is for ("" when none). */
  who: string;
  /** When it began to wait, epoch milliseconds: its place among one person's requests. */
  since: number;
  /** Its last poll, epoch milliseconds: a waiter whose instance stopped polling is dropped. */
  seen_at: number;
}

/** The fair-share rule's memory: `lane:<lane>` slots passed by in a row, `who:<staff id>` when last served (ms). */
interface UpstreamBudgetTurnsTable {
  subject: string;
  value: number;
}

/** A signed-in session (lib/auth/session-store.ts). Ended sessions stay for the record. */
export interface StaffSessionsTable {
  /** Public id: named in audit events and on the sessions pages. */
  id: string;
  /** SHA-256 (hex) of the secret the session cookie carries; the secret itself is never stored. */
  token_hash: string;
  staff_id: string;
  provider: string;
  created_at: IsoTimestamp;
  /** The last sign-in or step-up. */
  authenticated_at: IsoTimestamp;
  /** Last activity, written at most every few seconds (see TOUCH_EVERY_MS). */
  last_seen_at: IsoTimestamp;
  /** Absolute end: created_at + SESSION_MAX_HOURS. */
  expires_at: IsoTimestamp;
  ended_at: IsoTimestamp | null;
  end_reason: string | null;
  /** Staff id of whoever ended it (null when it expired or ended itself). */
  ended_by: string | null;
  client_address: string | null;
  user_agent: string | null;
}

/** A personal API token (lib/auth/api-tokens.ts): only the secret's SHA-256 is kept. */
interface ApiTokensTable {
  /** The public `x-client-key`, `ddpt_` and 22 base64url characters. */
  id: string;
  staff_id: string;
  label: string;
  /** Hex SHA-256 of the secret. */
  secret_hash: string;
  created_at: IsoTimestamp;
  expires_at: IsoTimestamp;
  revoked_at: IsoTimestamp | null;
  last_used_at: IsoTimestamp | null;
}

/** A saved view of the customer list (lib/customers/saved-views.ts): a name for a filter set. */
interface SavedViewsTable {
  id: string;
  owner_id: string;
  /** Unique per owner. */
  name: string;
  /** The list's query string without `?` (`status=ACTIVE&name=jo`), normalised; empty for every customer. */
  query: string;
  /** 1: every staff member sees it; 0: only its owner. */
  shared: number;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
}

/** A time-boxed permission: live while `revoked_at` is null and `expires_at` is in the future. */
interface AccessGrantsTable {
  id: string;
  staff_id: string;
  permission: "export";
  granted_by: string;
  /** The reason given, as recorded in the event's purpose ("Fraud investigation · ticket INC-1"). */
  reason: string;
  created_at: IsoTimestamp;
  expires_at: IsoTimestamp;
  revoked_at: IsoTimestamp | null;
  revoked_by: string | null;
}

/** One SIEM sink's place in the audit log (the outbox): everything up to delivered_seq has been accepted. */
interface SiemCursorsTable {
  sink: string;
  delivered_seq: number;
  delivered_at: IsoTimestamp | null;
  /** Failed sends since the last success. */
  attempts: number;
  next_attempt_at: IsoTimestamp;
  last_error: string | null;
  last_error_at: IsoTimestamp | null;
  /** The instance shipping this sink, until lease_expires_at. */
  lease_holder: string | null;
  lease_expires_at: IsoTimestamp | null;
  created_at: IsoTimestamp;
}

type AlertEmailStatus = "off" | "pending" | "sending" | "sent";

/** One delivered alert (migration 0012): raised once per (kind, subject, UTC hour). */
interface AuditAlertsTable {
  id: string;
  kind: "bulk_viewing";
  /** The staff id, or `email:<address>` when an event had none: the unique key's subject. */
  subject_key: string;
  subject_id: string | null;
  subject_email: string | null;
  /** The UTC clock hour, `YYYY-MM-DDTHH`. */
  hour: string;
  /** Distinct customers seen in that hour when the alert was raised. */
  customers: number;
  threshold: number;
  raised_at: IsoTimestamp;
  /** The `alert.bulk_viewing` event, written in the same transaction. */
  event_seq: number | null;
  acknowledged_by: string | null;
  acknowledged_by_email: string | null;
  acknowledged_at: IsoTimestamp | null;
  ack_note: string | null;
  /** `off`: no e-mail configured when raised; `sending`: claimed by one instance until `email_next_at`. */
  email_status: AlertEmailStatus;
  email_attempts: Generated<number>;
  email_next_at: IsoTimestamp | null;
  email_last_error: string | null;
  email_sent_at: IsoTimestamp | null;
}

type ExportJobState = "queued" | "running" | "done" | "failed" | "cancelled" | "expired";

/** An export job (lib/export/engine.ts); its pages are in export_pages, encrypted. */
export interface ExportJobsTable {
  id: string;
  owner_id: string;
  owner_email: string;
  /** JSON of the filters. */
  query: string;
  bom: number;
  unmasked: number;
  request_id: string;
  purpose: string | null;
  grant_id: string | null;
  state: ExportJobState;
  /** Pages committed to export_pages: the next run resumes at skip = pages_done × 100. */
  pages_done: number;
  rows_done: number;
  total: number | null;
  capped: number;
  message: string | null;
  /** The instance running it, and until when its lease holds (renewed by a heartbeat). */
  runner: string | null;
  lease_expires_at: IsoTimestamp | null;
  /** The per-job data key, AES-256-GCM-wrapped under the portal's export key; key_id names that key. */
  wrapped_key: string;
  key_id: string;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
  finished_at: IsoTimestamp | null;
  /** When a finished file is deleted (finished_at + EXPORT_TTL). */
  expires_at: IsoTimestamp | null;
  downloaded_at: IsoTimestamp | null;
  error: string | null;
}

/** One page of an export's CSV, encrypted (base64 of iv ‖ tag ‖ ciphertext); ids are the customers in it. */
interface ExportPagesTable {
  job_id: string;
  page: number;
  rows: number;
  /** Plaintext bytes, for the download's content-length. */
  size: number;
  /** JSON array of customer ids (the audit event names them in the clear anyway). */
  ids: string;
  data: string;
}

/** One person's settings of the portal's UI, one row per key (`columns`: the customer table's arrangement). */
interface StaffPreferencesTable {
  staff_id: string;
  key: string;
  /** JSON, checked by the module that owns the key. */
  value: string;
  updated_at: string;
}

export interface Database {
  audit_alerts: AuditAlertsTable;
  access_grants: AccessGrantsTable;
  export_jobs: ExportJobsTable;
  export_pages: ExportPagesTable;
  staff: StaffTable;
  staff_sessions: StaffSessionsTable;
  audit_events: AuditEventsTable;
  audit_targets: AuditTargetsTable;
  audit_chain_head: AuditChainHeadTable;
  audit_anchor: AuditAnchorTable;
  audit_verification: AuditVerificationTable;
  login_attempts: LoginAttemptsTable;
  upstream_budget: UpstreamBudgetTable;
  upstream_budget_waiters: UpstreamBudgetWaitersTable;
  upstream_budget_turns: UpstreamBudgetTurnsTable;
  api_tokens: ApiTokensTable;
  siem_cursors: SiemCursorsTable;
  saved_views: SavedViewsTable;
  staff_preferences: StaffPreferencesTable;
}

export type SiemCursorRow = Selectable<SiemCursorsTable>;

export type AuditAlertRow = Selectable<AuditAlertsTable>;
export type AccessGrantRow = Selectable<AccessGrantsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type ChainHead = Selectable<AuditChainHeadTable>;
