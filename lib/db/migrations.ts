import "server-only";
import { type Kysely, type Migration, type MigrationResultSet, Migrator, NO_MIGRATIONS, sql } from "kysely";
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
    await db.schema
      .createIndex("audit_targets_customer_seq")
      .on("audit_targets")
      .columns(["customer_id", "event_seq"])
      .execute();

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

/** Names sort in apply order (Kysely applies them alphabetically). */
const factories: Record<string, MigrationFactory> = {
  "0001_core": core,
  "0002_audit": audit,
  "0003_throttling": throttling,
  "0004_audit_log": auditLog,
  "0005_audit_origin": auditOrigin,
  "0006_attempt_ids": attemptIds,
  "0007_staff_sessions": staffSessions,
};

export function migrationsFor(kind: StoreKind): Record<string, Migration> {
  return Object.fromEntries(Object.entries(factories).map(([name, make]) => [name, make(kind)]));
}

export class MigrationError extends Error {
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
  return new Migrator({ db, migrationTableSchema, provider: { getMigrations: async () => migrations } });
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
