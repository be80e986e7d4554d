import "server-only";
import { type Kysely, type Migration, type MigrationResultSet, Migrator, NO_MIGRATIONS, sql } from "kysely";
import { frontierPush, frontierToJson, leafHash } from "@/lib/merkle/tree";
import { addMonths, createAuditPartitions, MONTHS_AHEAD } from "./audit-partitions";
import { dialectOf, type StoreKind } from "./dialect";
import type { Database } from "./schema";

export const GENESIS_HASH = "0".repeat(64);

// Migrations live in code (not a folder) so they survive bundling by Next.
// Each factory receives the store kind: the only per-store difference is the seq column.
type MigrationFactory = (kind: StoreKind) => Migration;

const core: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("staff")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("email", "text", (c) => c.notNull().unique())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("password_hash", "text")
      .addColumn("disabled_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addCheckConstraint("staff_email_lowercase", sql`email = lower(email)`)
      .addCheckConstraint("staff_role_known", sql`role in ('agent', 'admin', 'auditor')`)
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("staff").execute();
  },
});

const audit: MigrationFactory = (kind) => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("audit_events")
      .addColumn("seq", kind === "postgres" ? "bigint" : "integer", (c) =>
        kind === "postgres" ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
      )
      .addColumn("id", "text", (c) => c.notNull().unique())
      .addColumn("at", "text", (c) => c.notNull())
      .addColumn("actor_id", "text")
      .addColumn("actor_email", "text")
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("targets", "text", (c) => c.notNull())
      .addColumn("query", "text", (c) => c.notNull())
      .addColumn("request_id", "text", (c) => c.notNull())
      .addColumn("outcome", "text", (c) => c.notNull())
      .addColumn("detail", "text")
      .addColumn("prev_hash", "text", (c) => c.notNull())
      .addColumn("hash", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("audit_events_actor_seq").on("audit_events").columns(["actor_id", "seq"]).execute();
    await db.schema.createIndex("audit_events_at").on("audit_events").column("at").execute();
    await db.schema.createIndex("audit_events_action_seq").on("audit_events").columns(["action", "seq"]).execute();
    await db.schema.createIndex("audit_events_request_id").on("audit_events").column("request_id").execute();

    await db.schema
      .createTable("audit_targets")
      .addColumn("event_seq", "bigint", (c) => c.notNull().references("audit_events.seq"))
      .addColumn("customer_id", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("audit_targets_pk", ["event_seq", "customer_id"])
      .execute();
    await db.schema.createIndex("audit_targets_customer_seq").on("audit_targets").columns(["customer_id", "event_seq"]).execute();

    await db.schema
      .createTable("audit_chain_head")
      .addColumn("id", "integer", (c) => c.primaryKey())
      .addColumn("seq", "bigint", (c) => c.notNull())
      .addColumn("hash", "text", (c) => c.notNull())
      .addCheckConstraint("audit_chain_head_single_row", sql`id = 1`)
      .execute();
    await sql`insert into audit_chain_head (id, seq, hash) values (1, 0, ${GENESIS_HASH})`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("audit_chain_head").execute();
    await db.schema.dropTable("audit_targets").execute();
    await db.schema.dropTable("audit_events").execute();
  },
});

const throttling: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("login_attempts")
      .addColumn("key", "text", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("login_attempts_key_at").on("login_attempts").columns(["key", "at"]).execute();
    await db.schema
      .createTable("upstream_budget")
      .addColumn("window_start", "bigint", (c) => c.primaryKey())
      .addColumn("used", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("upstream_budget").execute();
    await db.schema.dropTable("login_attempts").execute();
  },
});

// The audit log's reading side: indexes for its filters, the retention anchor and the last verification.
const auditLog: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex("audit_events_actor_email_seq").on("audit_events").columns(["actor_email", "seq"]).execute();
    await db.schema.createIndex("audit_events_outcome_seq").on("audit_events").columns(["outcome", "seq"]).execute();
    await db.schema
      .createTable("audit_anchor")
      .addColumn("seq", "bigint", (c) => c.primaryKey())
      .addColumn("hash", "text", (c) => c.notNull())
      .addColumn("removed_through", "text", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("audit_verification")
      .addColumn("id", "integer", (c) => c.primaryKey())
      .addColumn("verified_at", "text", (c) => c.notNull())
      .addColumn("ok", "integer", (c) => c.notNull())
      .addColumn("checked", "bigint", (c) => c.notNull())
      .addColumn("head_seq", "bigint")
      .addColumn("first_bad_seq", "bigint")
      .addColumn("first_bad_id", "text")
      .addColumn("reason", "text")
      .addColumn("duration_ms", "integer", (c) => c.notNull())
      .addCheckConstraint("audit_verification_single_row", sql`id = 1`)
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("audit_verification").execute();
    await db.schema.dropTable("audit_anchor").execute();
    await db.schema.dropIndex("audit_events_outcome_seq").execute();
    await db.schema.dropIndex("audit_events_actor_email_seq").execute();
  },
});

// Who, where and why (issue 12): origin and session of every event, the refusal reason and the purpose given.
const ORIGIN_COLUMNS = ["session_id", "client_address", "user_agent", "refusal", "purpose"] as const;
const auditOrigin: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    for (const column of ORIGIN_COLUMNS) await db.schema.alterTable("audit_events").addColumn(column, "text").execute();
    await db.schema.createIndex("audit_events_client_address_seq").on("audit_events").columns(["client_address", "seq"]).execute();
    await db.schema.createIndex("audit_events_session_seq").on("audit_events").columns(["session_id", "seq"]).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex("audit_events_session_seq").execute();
    await db.schema.dropIndex("audit_events_client_address_seq").execute();
    for (const column of [...ORIGIN_COLUMNS].reverse()) await db.schema.alterTable("audit_events").dropColumn(column).execute();
  },
});

// Sign-in attempts are reserved before the password is checked (lib/auth/throttle.ts); a success takes its own back.
const attemptIds: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("login_attempts").addColumn("attempt_id", "text").execute();
    await db.schema.createIndex("login_attempts_attempt").on("login_attempts").column("attempt_id").execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex("login_attempts_attempt").execute();
    await db.schema.alterTable("login_attempts").dropColumn("attempt_id").execute();
  },
});

// Server-side sessions (lib/auth/session-store.ts): the cookie carries a random secret, the store its SHA-256.
// `id` is the session's public name (audit events, the sessions pages); `authenticated_at` is the last time the
// person proved who they are (sign-in or step-up).
const staffSessions: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("staff_sessions")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("staff_id", "text", (c) => c.notNull().references("staff.id"))
      .addColumn("provider", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("authenticated_at", "text", (c) => c.notNull())
      .addColumn("last_seen_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("ended_at", "text")
      .addColumn("end_reason", "text")
      .addColumn("ended_by", "text")
      .addColumn("client_address", "text")
      .addColumn("user_agent", "text")
      .execute();
    await db.schema.createIndex("staff_sessions_staff").on("staff_sessions").columns(["staff_id", "ended_at"]).execute();
    await db.schema.createIndex("staff_sessions_live").on("staff_sessions").columns(["ended_at", "last_seen_at"]).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("staff_sessions").execute();
  },
});

// Personal API tokens (issue 14, point 8): a public id, the SHA-256 of a 256-bit secret, expiry and revocation.
const apiTokens: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("api_tokens")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("staff_id", "text", (c) => c.notNull().references("staff.id"))
      .addColumn("label", "text", (c) => c.notNull())
      .addColumn("secret_hash", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("revoked_at", "text")
      .addColumn("last_used_at", "text")
      .execute();
    await db.schema.createIndex("api_tokens_staff").on("api_tokens").columns(["staff_id", "created_at"]).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("api_tokens").execute();
  },
});

// Tamper evidence outside the database (issue 13): the Merkle tree's frontier beside the chain head, updated in the
// recorder's transaction; the frontier at each retention anchor (so the remaining tree still has its purged left
// part); and what the last verification checked against the signed checkpoints.
const merkleTree: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable("audit_chain_head")
      .addColumn("merkle_frontier", "text", (c) => c.notNull().defaultTo("[]"))
      .execute();
    await db.schema.alterTable("audit_anchor").addColumn("merkle_frontier", "text").execute();
    await db.schema.alterTable("audit_verification").addColumn("checkpoints", "bigint").execute();
    await db.schema.alterTable("audit_verification").addColumn("checkpoint_file", "text").execute();
    await db.schema.alterTable("audit_verification").addColumn("checkpoint_size", "bigint").execute();
    await backfillFrontier(db);
  },
  async down(db: Kysely<unknown>) {
    for (const column of ["checkpoint_size", "checkpoint_file", "checkpoints"]) await db.schema.alterTable("audit_verification").dropColumn(column).execute();
    await db.schema.alterTable("audit_anchor").dropColumn("merkle_frontier").execute();
    await db.schema.alterTable("audit_chain_head").dropColumn("merkle_frontier").execute();
  },
});

/** Builds the tree over the events already in the chain (leaf i = event seq i + 1). */
async function backfillFrontier(db: Kysely<unknown>): Promise<void> {
  const head = (await sql<{ seq: number | string }>`select seq from audit_chain_head where id = 1`.execute(db)).rows[0];
  const headSeq = Number(head?.seq ?? 0);
  if (headSeq === 0) return;
  const anchors = await sql<{ n: number | string }>`select count(*) as n from audit_anchor`.execute(db);
  if (Number(anchors.rows[0]?.n ?? 0) > 0) {
    throw new Error(
      "retention already removed audit events, so the Merkle tree cannot be built over them; restore the removed events or start a new audit store (see docs/audit.md)",
    );
  }
  const frontier = { size: 0, hashes: [] as Buffer[] };
  let after = 0;
  for (;;) {
    const { rows } = await sql<{
      seq: number | string;
      hash: string;
    }>`select seq, hash from audit_events where seq > ${after} and seq <= ${headSeq} order by seq limit 5000`.execute(db);
    for (const row of rows) {
      if (Number(row.seq) !== frontier.size + 1)
        throw new Error(`audit event seq ${frontier.size + 1} is missing; the Merkle tree cannot be built (run npm run audit:verify)`);
      frontierPush(frontier, leafHash(Buffer.from(row.hash, "hex")));
    }
    if (rows.length < 5000) break;
    after = Number(rows[rows.length - 1]?.seq);
  }
  if (frontier.size !== headSeq) throw new Error(`the chain head is at seq ${headSeq} but only ${frontier.size} events exist; run npm run audit:verify`);
  await sql`update audit_chain_head set merkle_frontier = ${frontierToJson(frontier)} where id = 1`.execute(db);
}

// Time-boxed grants (issue 14, point 5): an admin lets one staff member do one thing (export) until expires_at.
// Nothing is ever deleted: a revoked or expired grant stays as the record of who was allowed what, when and why.
const accessGrants: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("access_grants")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("staff_id", "text", (c) => c.notNull().references("staff.id"))
      .addColumn("permission", "text", (c) => c.notNull())
      .addColumn("granted_by", "text", (c) => c.notNull().references("staff.id"))
      .addColumn("reason", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("revoked_at", "text")
      .addColumn("revoked_by", "text", (c) => c.references("staff.id"))
      .addCheckConstraint("access_grants_permission_known", sql`permission in ('export')`)
      .addCheckConstraint("access_grants_expiry_after_creation", sql`expires_at > created_at`)
      .execute();
    await db.schema.createIndex("access_grants_staff_expiry").on("access_grants").columns(["staff_id", "permission", "expires_at"]).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("access_grants").execute();
  },
});

// SIEM streaming (issue 13, point 5): the audit log is the outbox. One cursor row per sink says how far that sink
// has been delivered (seq), when to try again, the last error, and which instance holds the lease to ship it.
const siemCursors: MigrationFactory = (kind) => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("siem_cursors")
      .addColumn("sink", "text", (c) => c.primaryKey())
      .addColumn("delivered_seq", kind === "postgres" ? "bigint" : "integer", (c) => c.notNull())
      .addColumn("delivered_at", "text")
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("next_attempt_at", "text", (c) => c.notNull())
      .addColumn("last_error", "text")
      .addColumn("last_error_at", "text")
      .addColumn("lease_holder", "text")
      .addColumn("lease_expires_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("siem_cursors").execute();
  },
});

// Delivered alerts (issue 13, point 6): one row per (kind, staff member, UTC hour), raised once however many
// instances detect it (the unique key), with its own audit event, its acknowledgement and its e-mail's state.
const auditAlerts: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("audit_alerts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("subject_key", "text", (c) => c.notNull())
      .addColumn("subject_id", "text")
      .addColumn("subject_email", "text")
      .addColumn("hour", "text", (c) => c.notNull())
      .addColumn("customers", "integer", (c) => c.notNull())
      .addColumn("threshold", "integer", (c) => c.notNull())
      .addColumn("raised_at", "text", (c) => c.notNull())
      .addColumn("event_seq", "integer")
      .addColumn("acknowledged_by", "text")
      .addColumn("acknowledged_by_email", "text")
      .addColumn("acknowledged_at", "text")
      .addColumn("ack_note", "text")
      .addColumn("email_status", "text", (c) => c.notNull())
      .addColumn("email_attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("email_next_at", "text")
      .addColumn("email_last_error", "text")
      .addColumn("email_sent_at", "text")
      .addUniqueConstraint("audit_alerts_once", ["kind", "subject_key", "hour"])
      .addCheckConstraint("audit_alerts_kind_known", sql`kind in ('bulk_viewing')`)
      .addCheckConstraint("audit_alerts_email_status_known", sql`email_status in ('off', 'pending', 'sending', 'sent')`)
      .execute();
    await db.schema.createIndex("audit_alerts_email_due").on("audit_alerts").columns(["email_status", "email_next_at"]).execute();
    await db.schema.createIndex("audit_alerts_raised").on("audit_alerts").columns(["raised_at"]).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("audit_alerts").execute();
  },
});

// Export jobs in the store (issue 16, point 1): any instance reports, serves, resumes and deletes any job. Pages are
// stored encrypted (AES-256-GCM under a per-job key, itself wrapped by the portal's export key): no CSV on any disk.
const exportJobs: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("export_jobs")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("owner_id", "text", (c) => c.notNull().references("staff.id"))
      .addColumn("owner_email", "text", (c) => c.notNull())
      .addColumn("query", "text", (c) => c.notNull())
      .addColumn("bom", "integer", (c) => c.notNull())
      .addColumn("unmasked", "integer", (c) => c.notNull())
      .addColumn("request_id", "text", (c) => c.notNull())
      .addColumn("purpose", "text")
      .addColumn("grant_id", "text")
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("pages_done", "integer", (c) => c.notNull())
      .addColumn("rows_done", "integer", (c) => c.notNull())
      .addColumn("total", "integer")
      .addColumn("capped", "integer", (c) => c.notNull())
      .addColumn("message", "text")
      .addColumn("runner", "text")
      .addColumn("lease_expires_at", "text")
      .addColumn("wrapped_key", "text", (c) => c.notNull())
      .addColumn("key_id", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("finished_at", "text")
      .addColumn("expires_at", "text")
      .addColumn("downloaded_at", "text")
      .addColumn("error", "text")
      .addCheckConstraint("export_jobs_state_known", sql`state in ('queued', 'running', 'done', 'failed', 'cancelled', 'expired')`)
      .execute();
    // One live export per staff member, held by the store across instances.
    await sql`create unique index export_jobs_one_live on export_jobs (owner_id) where state in ('queued', 'running')`.execute(db);
    await db.schema.createIndex("export_jobs_state_lease").on("export_jobs").columns(["state", "lease_expires_at"]).execute();
    await db.schema.createIndex("export_jobs_owner_created").on("export_jobs").columns(["owner_id", "created_at"]).execute();
    await db.schema
      .createTable("export_pages")
      .addColumn("job_id", "text", (c) => c.notNull().references("export_jobs.id"))
      .addColumn("page", "integer", (c) => c.notNull())
      .addColumn("rows", "integer", (c) => c.notNull())
      .addColumn("size", "integer", (c) => c.notNull())
      .addColumn("ids", "text", (c) => c.notNull())
      .addColumn("data", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("export_pages_pk", ["job_id", "page"])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("export_pages").execute();
    await db.schema.dropTable("export_jobs").execute();
  },
});

// The fair upstream budget across instances (issue 16, point 5): who waits for a slot, and whose turn it was.
const budgetFairShare: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("upstream_budget_waiters")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("lane", "text", (c) => c.notNull())
      .addColumn("who", "text", (c) => c.notNull())
      .addColumn("since", "bigint", (c) => c.notNull())
      .addColumn("seen_at", "bigint", (c) => c.notNull())
      .addCheckConstraint("upstream_budget_waiters_lane_known", sql`lane in ('interactive', 'export', 'background')`)
      .execute();
    await db.schema
      .createTable("upstream_budget_turns")
      .addColumn("subject", "text", (c) => c.primaryKey())
      .addColumn("value", "bigint", (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("upstream_budget_turns").execute();
    await db.schema.dropTable("upstream_budget_waiters").execute();
  },
});

// Saved views (issue 17, point 3): a named filter set of one staff member, private or shared with every staff member.
const savedViews: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("saved_views")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("owner_id", "text", (c) => c.notNull().references("staff.id"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("query", "text", (c) => c.notNull())
      .addColumn("shared", "integer", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addCheckConstraint("saved_views_shared_flag", sql`shared in (0, 1)`)
      .addUniqueConstraint("saved_views_owner_name", ["owner_id", "name"])
      .execute();
    await db.schema.createIndex("saved_views_shared").on("saved_views").columns(["shared", "name"]).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("saved_views").execute();
  },
});

const staffPreferences: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("staff_preferences")
      .addColumn("staff_id", "text", (c) => c.notNull().references("staff.id"))
      .addColumn("key", "text", (c) => c.notNull())
      .addColumn("value", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("staff_preferences_pk", ["staff_id", "key"])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("staff_preferences").execute();
  },
});

// Issue 16, point 3: the audit read side at scale. A staff member's events in a period (the day counts on their
// page, a staff filter with a time range) are read by (actor, at) ranges instead of every event of theirs; the
// bulk-viewer detector walks new events by (at, seq) keyset. SQLite's `at` index already ends in the rowid (seq).
const auditScale: MigrationFactory = (kind) => ({
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex("audit_events_actor_at").on("audit_events").columns(["actor_id", "at"]).execute();
    await db.schema.createIndex("audit_events_actor_email_at").on("audit_events").columns(["actor_email", "at"]).execute();
    if (kind === "postgres") await db.schema.createIndex("audit_events_at_seq").on("audit_events").columns(["at", "seq"]).execute();
  },
  async down(db: Kysely<unknown>) {
    if (kind === "postgres") await db.schema.dropIndex("audit_events_at_seq").execute();
    await db.schema.dropIndex("audit_events_actor_email_at").execute();
    await db.schema.dropIndex("audit_events_actor_at").execute();
  },
});

// Issue 18, point 1: on PostgreSQL the audit log and its customer index become partitioned by month (RANGE on the
// event's `at`, collated "C"; audit_targets gains `event_at`, its event's `at`, as its key). PostgreSQL 15 wants the
// partition key in every unique key, so the primary key is (seq, at) and `id` is unique with `at`; seq stays unique
// because the writer hands it out under the chain head's row lock, and verification reads seq 1..head and fails on
// any gap, repeat or reorder. The foreign key from audit_targets goes (a partition could not be dropped without a
// check across every other month's targets). Existing rows are copied into the new tables in the migration's
// transaction, so a large store is rewritten once (docs/operations.md). SQLite keeps its one table.
const auditPartitions: MigrationFactory = (kind) => ({
  async up(db: Kysely<unknown>) {
    if (kind === "postgres") await rebuildAuditTables(db, true);
  },
  async down(db: Kysely<unknown>) {
    if (kind === "postgres") await rebuildAuditTables(db, false);
  },
});

type Column = { name: string; type: string; notnull: boolean };

async function columnsOf(db: Kysely<unknown>, table: string): Promise<Column[]> {
  const { rows } = await sql<Column>`
    select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull from pg_attribute a
    where a.attrelid = to_regclass(${table}) and a.attnum > 0 and not a.attisdropped order by a.attnum`.execute(db);
  return rows;
}

/** The CREATE INDEX statements of `table`'s indexes that no constraint owns (those are made again by name). */
async function plainIndexes(db: Kysely<unknown>, table: string): Promise<string[]> {
  const { rows } = await sql<{ def: string }>`
    select indexdef as def from pg_indexes where schemaname = current_schema() and tablename = ${table}
      and indexname not in (select conname from pg_constraint where conrelid = to_regclass(${table})) order by indexname`.execute(db);
  return rows.map((r) => r.def);
}

/** Copies audit_events and audit_targets into partitioned (or, going down, plain) tables of the same columns. */
async function rebuildAuditTables(db: Kysely<unknown>, partitioned: boolean): Promise<void> {
  const old = partitioned ? "unpartitioned" : "partitioned";
  const indexes = [...(await plainIndexes(db, "audit_events")), ...(await plainIndexes(db, "audit_targets"))];
  await sql`alter table audit_targets rename to ${sql.id(`audit_targets_${old}`)}`.execute(db);
  await sql`alter table audit_events rename to ${sql.id(`audit_events_${old}`)}`.execute(db);
  const eventCols = await columnsOf(db, `audit_events_${old}`);
  const targetCols = (await columnsOf(db, `audit_targets_${old}`)).filter((c) => c.name !== "event_at");
  const ddl = (cols: Column[]) =>
    sql.join(
      cols.map((c) => sql.raw(`${JSON.stringify(c.name)} ${c.type}${partitioned && c.name === "at" ? ' collate "C"' : ""}${c.notnull ? " not null" : ""}`)),
    );
  const names = (cols: Column[], prefix?: string) => sql.join(cols.map((c) => sql.ref(prefix ? `${prefix}.${c.name}` : c.name)));
  if (partitioned) {
    await sql`create table audit_events (${ddl(eventCols)}) partition by range (at)`.execute(db);
    await sql`create table audit_targets (${ddl(targetCols)}, event_at text collate "C" not null) partition by range (event_at)`.execute(db);
    const { rows } = await sql<{ month: string }>`select distinct left(at, 7) as month from audit_events_unpartitioned`.execute(db);
    const thisMonth = new Date().toISOString().slice(0, 7);
    const ahead = Array.from({ length: MONTHS_AHEAD + 1 }, (_, i) => addMonths(thisMonth, i));
    await createAuditPartitions(db, [...rows.map((r) => r.month), ...ahead]);
    await sql`insert into audit_events (${names(eventCols)}) select ${names(eventCols, "e")} from audit_events_unpartitioned e`.execute(db);
    await sql`insert into audit_targets (${names(targetCols)}, event_at)
      select ${names(targetCols, "t")}, e.at from audit_targets_unpartitioned t join audit_events_unpartitioned e on e.seq = t.event_seq`.execute(db);
  } else {
    await sql`create table audit_events (${ddl(eventCols)})`.execute(db);
    await sql`create table audit_targets (${ddl(targetCols)})`.execute(db);
    await sql`insert into audit_events (${names(eventCols)}) select ${names(eventCols, "e")} from audit_events_partitioned e`.execute(db);
    await sql`insert into audit_targets (${names(targetCols)}) select ${names(targetCols, "t")} from audit_targets_partitioned t`.execute(db);
  }
  await sql`drop table ${sql.id(`audit_targets_${old}`)}`.execute(db);
  await sql`drop table ${sql.id(`audit_events_${old}`)}`.execute(db);
  if (partitioned) {
    await sql`alter table audit_events add constraint audit_events_pkey primary key (seq, at)`.execute(db);
    await sql`alter table audit_events add constraint audit_events_id_key unique (id, at)`.execute(db);
    await sql`alter table audit_targets add constraint audit_targets_pk primary key (event_seq, customer_id, event_at)`.execute(db);
  } else {
    await sql`alter table audit_events add constraint audit_events_pkey primary key (seq)`.execute(db);
    await sql`alter table audit_events alter column seq add generated by default as identity`.execute(db);
    await sql`select setval(pg_get_serial_sequence('audit_events', 'seq'), coalesce(max(seq), 0) + 1, false) from audit_events`.execute(db);
    await sql`alter table audit_events add constraint audit_events_id_key unique (id)`.execute(db);
    await sql`alter table audit_targets add constraint audit_targets_pk primary key (event_seq, customer_id)`.execute(db);
    await sql`alter table audit_targets add constraint audit_targets_event_seq_fkey foreign key (event_seq) references audit_events (seq)`.execute(db);
  }
  // Made again on the new parent (PostgreSQL builds one per partition); a name that came with a parallel branch's
  // migration is kept too.
  for (const def of indexes) await sql.raw(def.replace(" ON ONLY ", " ON ")).execute(db);
}

/** Names sort in apply order (Kysely applies them alphabetically). */
const factories: Record<string, MigrationFactory> = {
  "0001_core": core,
  "0002_audit": audit,
  "0003_throttling": throttling,
  "0004_audit_log": auditLog,
  "0005_audit_origin": auditOrigin,
  "0006_attempt_ids": attemptIds,
  "0007_staff_sessions": staffSessions,
  "0008_merkle_tree": merkleTree,
  "0009_api_tokens": apiTokens,
  "0010_access_grants": accessGrants,
  "0011_siem_cursors": siemCursors,
  "0012_audit_alerts": auditAlerts,
  "0013_export_jobs": exportJobs,
  "0014_audit_scale": auditScale,
  "0015_budget_fair_share": budgetFairShare,
  "0016_saved_views": savedViews,
  "0019_staff_preferences": staffPreferences,
  "0020_audit_partitions": auditPartitions,
};

export function migrationsFor(kind: StoreKind): Record<string, Migration> {
  return Object.fromEntries(Object.entries(factories).map(([name, make]) => [name, make(kind)]));
}

class MigrationError extends Error {
  constructor(
    readonly migrationName: string | undefined,
    options: { cause: unknown },
  ) {
    super(`database migration ${migrationName ?? "(setup)"} failed`, options);
    this.name = "MigrationError";
  }
}

async function migratorFor(db: Kysely<Database>): Promise<Migrator> {
  const kind = dialectOf(db);
  const migrations = migrationsFor(kind);
  // Kysely looks for its bookkeeping tables in every schema unless told one; pin it to the
  // schema search_path resolves to, or another schema's kysely_migration would be mistaken for ours.
  const migrationTableSchema = kind === "postgres" ? await currentSchema(db) : undefined;
  // Numbers are handed out to branches worked on in parallel (0013 may land before 0011): a store that already has a
  // later migration still gets an earlier one that arrives afterwards, instead of refusing to start. Each migration
  // touches only its own tables, so their order between branches does not matter.
  return new Migrator({ db, migrationTableSchema, allowUnorderedMigrations: true, provider: { getMigrations: async () => migrations } });
}

async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new MigrationError(undefined, { cause: new Error("search_path names no existing schema") });
  return schema;
}

function unwrap({ error, results }: MigrationResultSet): MigrationResultSet {
  if (error) throw new MigrationError(results?.find((r) => r.status === "Error")?.migrationName, { cause: error });
  return { results };
}

/** Applies pending migrations; a no-op when the schema is current. */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  return unwrap(await (await migratorFor(db)).migrateToLatest());
}

/** Reverts every migration (tests and local resets only). */
export async function migrateDownAll(db: Kysely<Database>): Promise<MigrationResultSet> {
  return unwrap(await (await migratorFor(db)).migrateTo(NO_MIGRATIONS));
}
